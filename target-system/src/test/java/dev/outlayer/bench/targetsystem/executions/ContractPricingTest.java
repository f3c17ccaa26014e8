package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OutLayer's pricing refresh (handlers/pricing.rs): once an hour at most, on a clock the test moves. */
class ContractPricingTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00Z"));
    /** The contract's views as they stand; null: the contract cannot be read. */
    private volatile String fees = "[\"1\",\"2\",\"3\",\"4\"]";

    private final List<String> reads = new ArrayList<>();

    private final ContractViews views = (method, args) -> {
        reads.add(method);
        if (fees == null) {
            return Optional.empty();
        }
        return Optional.of(parse(method.equals("get_pricing") ? fees : "[100, 60, 300]"));
    };

    private static JsonNode parse(String json) {
        try {
            return JsonCodec.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Pricing pricing(String base) {
        return new Pricing(base, "2", "3", "4", 300, 100, 60);
    }

    @Test
    void withinAnHourOfTheStartARefreshIsTheCurrentPricingAndReadsNothing() {
        ContractPricing pricing = new ContractPricing(views, clock);
        assertThat(pricing.current()).isEqualTo(pricing("1"));
        fees = "[\"9\",\"2\",\"3\",\"4\"]";
        reads.clear();
        clock.advance(Duration.ofMinutes(59).plusSeconds(59));

        assertThat(pricing.refresh()).contains(pricing("1"));
        assertThat(reads).as("rate-limited: the contract is not read").isEmpty();
    }

    @Test
    void anHourAfterTheStartARefreshReadsTheContractAndTheNextHourStartsThen() {
        ContractPricing pricing = new ContractPricing(views, clock);
        assertThat(pricing.current()).isEqualTo(pricing("1"));
        fees = "[\"9\",\"2\",\"3\",\"4\"]";
        clock.advance(ContractPricing.MIN_UPDATE_INTERVAL);

        assertThat(pricing.refresh()).contains(pricing("9"));
        assertThat(pricing.current()).as("claims carry it from now on").isEqualTo(pricing("9"));

        fees = "[\"10\",\"2\",\"3\",\"4\"]";
        clock.advance(Duration.ofMinutes(30));
        assertThat(pricing.refresh()).as("the hour runs from the refresh").contains(pricing("9"));
        clock.advance(Duration.ofMinutes(30));
        assertThat(pricing.refresh()).contains(pricing("10"));
    }

    @Test
    void aRefreshThatCannotReadTheContractChangesNothing() {
        ContractPricing pricing = new ContractPricing(views, clock);
        assertThat(pricing.current()).isEqualTo(pricing("1"));
        clock.advance(Duration.ofHours(2));
        fees = null;

        assertThat(pricing.refresh()).as("OutLayer's 500").isEmpty();
        assertThat(pricing.current()).isEqualTo(pricing("1"));

        fees = "[\"9\",\"2\",\"3\",\"4\"]";
        assertThat(pricing.refresh())
                .as("a failed refresh restarts no hour: the next one reads")
                .contains(pricing("9"));
    }

    @Test
    void whileTheContractCannotBeReadTheDefaultPricingIsCurrentAndTheNextReaderTriesAgain() {
        fees = null;
        ContractPricing pricing = new ContractPricing(views, clock);
        assertThat(pricing.current()).isEqualTo(Pricing.DEFAULT);
        assertThat(pricing.refresh()).as("within the hour: the current pricing").contains(Pricing.DEFAULT);

        fees = "[\"1\",\"2\",\"3\",\"4\"]";
        assertThat(pricing.current()).isEqualTo(pricing("1"));
    }

    @Test
    void aClockThatWentBackCountsAsNoTimeElapsed() {
        ContractPricing pricing = new ContractPricing(views, clock);
        pricing.current();
        reads.clear();
        clock.advance(Duration.ofHours(-3));
        assertThat(pricing.refresh()).contains(pricing("1"));
        assertThat(reads).isEmpty();
    }
}
