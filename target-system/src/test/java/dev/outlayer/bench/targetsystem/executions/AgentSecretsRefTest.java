package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSecretsRefTest {
    private static final String AGENT = "0123456789abcdef".repeat(4);

    @Test
    void oneOrTrueAsksZeroFalseOrNoHeaderDoesNot() {
        for (String yes : List.of("1", "true", "TRUE", "True", " 1 ")) {
            assertThat(AgentSecretsRef.asked(yes)).as(yes).isTrue();
        }
        for (String no : List.of("0", "false", "False")) {
            assertThat(AgentSecretsRef.asked(no)).as(no).isFalse();
        }
        assertThat(AgentSecretsRef.asked(null)).isFalse();
    }

    @Test
    void anyOtherValueIsTheCallersMistake() {
        for (String bad : List.of("", "yes", "2", "01", "t", "true1")) {
            assertThatThrownBy(() -> AgentSecretsRef.asked(bad))
                    .as("'%s'", bad)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.INVALID))
                    .hasMessageStartingWith("Invalid X-Use-Owner-Secret header");
        }
    }

    @Test
    void theHeaderNamesTheImplicitOwnersOwnRowAndTheBodyWins() {
        assertThat(AgentSecretsRef.forCall(null, true, AGENT)).isEqualTo(new SecretsReference(AGENT, AGENT));
        assertThat(AgentSecretsRef.forCall(null, false, AGENT)).as("not asked").isNull();
        SecretsReference body = new SecretsReference("gmail", "owner.near");
        assertThat(AgentSecretsRef.forCall(body, true, AGENT)).isSameAs(body);
        assertThat(AgentSecretsRef.forCall(body, false, AGENT)).isSameAs(body);
    }

    @Test
    void aNamedOrNotQuiteImplicitOwnerHasNothingBuilt() {
        for (String owner : List.of(
                "alice.near",
                "alice",
                AGENT.toUpperCase(),
                AGENT.substring(1),
                AGENT + "0",
                "0x" + AGENT.substring(24))) {
            assertThat(AgentSecretsRef.forCall(null, true, owner)).as(owner).isNull();
        }
    }
}
