package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Secret names as OutLayer keystore-worker judges them (api.rs: RESERVED_SECRET_KEYS and the PROTECTED_ rule). */
class SecretsPayloadTest {
    private static byte[] object(String name) {
        return ("{\"" + name + "\":\"v\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void outLayersReservedNamesAreRefusedExactly() {
        assertThat(SecretsPayload.RESERVED_NAMES).hasSize(26).doesNotHaveDuplicates();
        for (String name : SecretsPayload.RESERVED_NAMES) {
            assertThatThrownBy(() -> SecretsPayload.parse(object(name)))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining(name)
                    .hasMessageContaining("reserved");
        }
        // Names the worker sets that are not NEAR_/OUTLAYER_: the old prefix ban let these through.
        assertThat(SecretsPayload.isReserved("ATTACHED_USD")).isTrue();
        assertThat(SecretsPayload.isReserved("USD_PAYMENT")).isTrue();
        assertThat(SecretsPayload.isReserved("WALLET_ID")).isTrue();
    }

    @Test
    void namesOutLayerAcceptsAreAccepted() {
        // The old NEAR_/OUTLAYER_ prefix bans (any case) refused all of these; OutLayer stores them.
        for (String name :
                new String[] {"NEAR_API_KEY", "OUTLAYER_TOKEN", "near_sender_id", "Near_Sender_Id", "my-key", "1ST"}) {
            assertThat(SecretsPayload.parseManual(object(name))).containsEntry(name, "v");
        }
    }

    @Test
    void protectedPrefixIsRefusedOnAManualStoreOnly() {
        assertThatThrownBy(() -> SecretsPayload.parseManual(object("PROTECTED_SIGNING_KEY")))
                .hasMessageContaining("PROTECTED_SIGNING_KEY")
                .hasMessageContaining("PROTECTED_");
        // Case-sensitive, as OutLayer's starts_with.
        assertThat(SecretsPayload.parseManual(object("protected_key"))).containsKey("protected_key");
        // A generated PROTECTED_ secret is injected: decrypt-side parsing keeps it.
        assertThat(SecretsPayload.parse(object("PROTECTED_SIGNING_KEY"))).containsKey("PROTECTED_SIGNING_KEY");
    }

    @Test
    void everyReservedNameIsNamedInOneRefusal() {
        byte[] both = "{\"NEAR_REQUEST_ID\":\"a\",\"OK\":\"b\",\"WALLET_ID\":\"c\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SecretsPayload.parse(both))
                .hasMessageContaining("NEAR_REQUEST_ID")
                .hasMessageContaining("WALLET_ID")
                .hasMessageNotContaining("\"a\"");
    }

    @Test
    void namesNoEnvironmentCanHoldAreRefused() {
        assertThatThrownBy(() -> SecretsPayload.parse(object("A=B"))).hasMessageContaining("environment variable");
        assertThatThrownBy(() -> SecretsPayload.parse(object(""))).hasMessageContaining("environment variable");
    }
}
