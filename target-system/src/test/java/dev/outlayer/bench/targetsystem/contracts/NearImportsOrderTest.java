package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The linux mode numbers NEAR syscalls by the host-function table's order (NearSyscalls, from
 * 1000), so a function added anywhere but the end renumbers every one after it, and a program
 * built against the old numbers calls the wrong function.
 */
class NearImportsOrderTest {
    @Test
    void functionsAddedAfterNearSysListComeLastAndKeepTheReleasedNumbers() {
        List<String> names = List.copyOf(NearImports.table().keySet());
        assertThat(names.get(0)).isEqualTo("read_register");
        assertThat(names.indexOf("storage_iter_prefix")).isEqualTo(67);
        assertThat(names.indexOf("bls12381_p2_decompress")).isEqualTo(81);
        assertThat(names.indexOf("chain_id")).isEqualTo(82);
        assertThat(names.indexOf("gas")).isEqualTo(83);
        assertThat(names.subList(84, names.size()))
                .containsExactly(
                        "promise_yield_create_with_id",
                        "promise_yield_resume_with_yield_id",
                        "promise_batch_action_transfer_to_gas_key",
                        "promise_batch_action_add_gas_key_with_full_access",
                        "promise_batch_action_add_gas_key_with_function_call");
    }
}
