package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.text;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Projects on the bundled OutLayer contract, as OutLayer's contract/src/projects.rs: {@code
 * create_project} (id {@code predecessor/name}, uuid {@code p} + 16 hex digits, the first version
 * active, storage deposit at 10^19 yoctoNEAR a byte with the rest refunded), {@code add_version},
 * {@code set_active_version} and the views {@code get_project} / {@code get_version} that OutLayer's
 * coordinator and worker read to turn {@code owner/name} (and a {@code version_key}) into code.
 */
class OutlayerProjectsTest {
    private static final String OUTLAYER = ContractSimulator.OUTLAYER_ACCOUNT;
    private static final String ALICE = "alice.test.near";
    private static final String BOB = "bob.test.near";
    private static final BigInteger DEPOSIT = new BigInteger("10000000000000000000000"); // 0.01 NEAR
    private static final BigInteger PER_BYTE = new BigInteger("10000000000000000000");
    private static final String URL = "https://example.org/echo.wasm";
    private static final String V1 = "{\"WasmUrl\":{\"url\":\"" + URL + "\",\"hash\":\"ab12\"}}";
    private static final String V2 = "{\"GitHub\":{\"repo\":\"github.com/alice/echo\",\"commit\":\"c0ffee\","
            + "\"build_target\":\"wasm32-wasip1\"}}";

    private final AtomicLong now = new AtomicLong(1_000_000L);

    @AutoClose
    private ContractSimulator simulator;

    @BeforeEach
    void start() throws IOException {
        simulator = new ContractSimulator(true, new BlockClock(0, 1000, now::get));
        simulator.deploy(
                OUTLAYER,
                Files.readAllBytes(Path.of(
                        System.getProperty("outlayer.root", ".."), "resources/contracts/outlayer/outlayer.wasm")));
        for (String account : List.of(ALICE, BOB)) {
            simulator.putAccount(account, ContractSimulator.DEFAULT_BALANCE);
        }
        TxOutcome init = call(OUTLAYER, "new", "{\"owner_id\":\"" + OUTLAYER + "\"}", BigInteger.ZERO);
        assertThat(init.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
    }

    private TxOutcome call(String caller, String method, String args, BigInteger deposit) {
        return simulator.call(
                CallRequest.call(OUTLAYER, method, utf8(args))
                        .withCaller(caller, caller)
                        .withDeposit(deposit),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
    }

    private JsonNode view(String method, String args) throws IOException {
        Outcome out = simulator.execute(CallRequest.view(OUTLAYER, method, utf8(args)));
        assertThat(out.success()).as(out.errorMessage()).isTrue();
        return JsonCodec.MAPPER.readTree(text(out.result()));
    }

    private static String failure(TxOutcome tree) {
        ExecutionStatus status = tree.firstReceipt().status();
        assertThat(status).isInstanceOf(ExecutionStatus.Failure.class);
        return ((ExecutionStatus.Failure) status).message();
    }

    private static List<String> logs(TxOutcome tree) {
        return tree.receiptsOutcome().stream().flatMap(o -> o.logs().stream()).toList();
    }

    private static boolean refundedTo(TxOutcome tree, String account) {
        return tree.receiptsOutcome().stream()
                .anyMatch(
                        o -> o.executorId().equals(account) && o.predecessorId().equals(OUTLAYER));
    }

    private TxOutcome createEcho() {
        return call(ALICE, "create_project", "{\"name\":\"echo\",\"source\":" + V1 + "}", DEPOSIT);
    }

    @Test
    void createProjectStoresItWithItsFirstVersionActive() throws IOException {
        TxOutcome created = createEcho();

        assertThat(created.firstReceipt().status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(logs(created))
                .contains("Project created: id=alice.test.near/echo, uuid=p0000000000000001, owner=alice.test.near,"
                        + " version=ab12");
        assertThat(refundedTo(created, ALICE))
                .as("the deposit beyond the storage is refunded")
                .isTrue();
        JsonNode project = view("get_project", "{\"project_id\":\"alice.test.near/echo\"}");
        assertThat(project.path("uuid").asText()).isEqualTo("p0000000000000001");
        assertThat(project.path("owner").asText()).isEqualTo(ALICE);
        assertThat(project.path("name").asText()).isEqualTo("echo");
        assertThat(project.path("project_id").asText()).isEqualTo("alice.test.near/echo");
        assertThat(project.path("active_version").asText()).isEqualTo("ab12");
        assertThat(project.path("created_at").asLong()).isPositive();
        // calculate_project_storage_size: 200 + id (20) + uuid (17) + 8 + 16 bytes
        assertThat(project.path("storage_deposit").asText())
                .isEqualTo(PER_BYTE.multiply(BigInteger.valueOf(261)).toString());
        JsonNode version = view("get_version", "{\"project_id\":\"alice.test.near/echo\",\"version_key\":\"ab12\"}");
        assertThat(version.path("wasm_hash").asText()).isEqualTo("ab12");
        assertThat(version.path("source").toString())
                .isEqualTo("{\"WasmUrl\":{\"url\":\"" + URL + "\",\"hash\":\"ab12\",\"build_target\":null}}");
        assertThat(version.path("is_active").asBoolean()).isTrue();
        assertThat(view("get_project", "{\"project_id\":\"alice.test.near/none\"}")
                        .isNull())
                .isTrue();
        assertThat(view("get_version", "{\"project_id\":\"alice.test.near/echo\",\"version_key\":\"zz\"}")
                        .isNull())
                .isTrue();
    }

    @Test
    void aSecondProjectGetsTheNextUuidAndNamesAreTheOwners() throws IOException {
        createEcho();
        TxOutcome bobs = call(BOB, "create_project", "{\"name\":\"echo\",\"source\":" + V2 + "}", DEPOSIT);

        assertThat(bobs.firstReceipt().status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        JsonNode project = view("get_project", "{\"project_id\":\"bob.test.near/echo\"}");
        assertThat(project.path("uuid").asText()).isEqualTo("p0000000000000002");
        assertThat(project.path("active_version").asText()).isEqualTo("github.com/alice/echo@c0ffee");
    }

    @Test
    void createProjectRefusesDuplicatesBadNamesAndTooSmallADeposit() throws IOException {
        createEcho();
        assertThat(failure(createEcho())).contains("Project 'alice.test.near/echo' already exists");
        assertThat(failure(call(ALICE, "create_project", "{\"name\":\"a b\",\"source\":" + V1 + "}", DEPOSIT)))
                .contains("Project name must contain only alphanumeric, dash, or underscore");
        assertThat(failure(call(ALICE, "create_project", "{\"name\":\"\",\"source\":" + V1 + "}", DEPOSIT)))
                .contains("Project name cannot be empty");
        assertThat(failure(call(ALICE, "create_project", "{\"name\":\"x\",\"source\":" + V1 + "}", BigInteger.ONE)))
                .contains("Insufficient storage deposit. Required: ")
                .contains("attached: 1 yoctoNEAR");
        assertThat(view("get_project", "{\"project_id\":\"alice.test.near/x\"}").isNull())
                .as("a refused create stores nothing")
                .isTrue();
        assertThat(view("get_project", "{\"project_id\":\"alice.test.near/echo\"}")
                        .path("uuid")
                        .asText())
                .isEqualTo("p0000000000000001");
    }

    @Test
    void versionsAreAddedAndActivatedByTheOwnerOnly() throws IOException {
        createEcho();
        TxOutcome added = call(
                ALICE,
                "add_version",
                "{\"project_name\":\"echo\",\"source\":" + V2 + ",\"set_active\":false}",
                DEPOSIT);
        assertThat(logs(added))
                .contains("Version added: project=alice.test.near/echo, version=github.com/alice/echo@c0ffee,"
                        + " active=false");
        String v2 = "{\"project_id\":\"alice.test.near/echo\",\"version_key\":\"github.com/alice/echo@c0ffee\"}";
        assertThat(view("get_version", v2).path("is_active").asBoolean()).isFalse();
        assertThat(view("get_project", "{\"project_id\":\"alice.test.near/echo\"}")
                        .path("active_version")
                        .asText())
                .isEqualTo("ab12");

        assertThat(failure(call(
                        ALICE,
                        "add_version",
                        "{\"project_name\":\"echo\",\"source\":" + V2 + ",\"set_active\":true}",
                        DEPOSIT)))
                .contains("Version 'github.com/alice/echo@c0ffee' already exists in project");
        // Bob's "echo" is bob.test.near/echo: he cannot touch Alice's.
        assertThat(failure(call(
                        BOB,
                        "set_active_version",
                        "{\"project_name\":\"echo\",\"version_key\":\"github.com/alice/echo@c0ffee\"}",
                        BigInteger.ZERO)))
                .contains("Project not found");
        assertThat(failure(call(
                        ALICE,
                        "set_active_version",
                        "{\"project_name\":\"echo\",\"version_key\":\"nope\"}",
                        BigInteger.ZERO)))
                .contains("Version 'nope' not found in project");

        TxOutcome switched = call(
                ALICE,
                "set_active_version",
                "{\"project_name\":\"echo\",\"version_key\":\"github.com/alice/echo@c0ffee\"}",
                BigInteger.ZERO);
        assertThat(logs(switched))
                .contains("Active version changed: project=alice.test.near/echo, version=github.com/alice/echo@c0ffee");
        assertThat(view("get_version", v2).path("is_active").asBoolean()).isTrue();
        assertThat(view("get_project", "{\"project_id\":\"alice.test.near/echo\"}")
                        .path("active_version")
                        .asText())
                .isEqualTo("github.com/alice/echo@c0ffee");
    }

    @Test
    void aProjectSourceRunsTheActiveOrTheNamedVersion() throws IOException {
        createEcho();
        call(ALICE, "add_version", "{\"project_name\":\"echo\",\"source\":" + V2 + ",\"set_active\":false}", DEPOSIT);
        String limits = ",\"resource_limits\":{\"max_instructions\":1000000000,\"max_execution_seconds\":10}";

        TxOutcome active = call(
                BOB,
                "request_execution",
                "{\"source\":{\"Project\":{\"project_id\":\"alice.test.near/echo\"}}" + limits + "}",
                DEPOSIT);
        assertThat(logs(active))
                .contains("Resolved project: alice.test.near/echo, version: ab12, source: WasmUrl { url: \"" + URL
                        + "\", hash: \"ab12\", build_target: None }, uuid: p0000000000000001");
        JsonNode request = requestData(active);
        assertThat(request.path("code_source").toString())
                .isEqualTo("{\"WasmUrl\":{\"url\":\"" + URL + "\",\"hash\":\"ab12\",\"build_target\":null}}");
        assertThat(request.path("project_uuid").asText()).isEqualTo("p0000000000000001");
        assertThat(request.path("project_id").asText()).isEqualTo("alice.test.near/echo");
        JsonNode pending = view("get_request", "{\"request_id\":0}");
        assertThat(pending.path("execution_source").toString())
                .isEqualTo("{\"Project\":{\"project_id\":\"alice.test.near/echo\",\"version_key\":null}}");
        assertThat(pending.path("resolved_source").path("WasmUrl").path("hash").asText())
                .isEqualTo("ab12");

        TxOutcome named = call(
                BOB,
                "request_execution",
                "{\"source\":{\"Project\":{\"project_id\":\"alice.test.near/echo\",\"version_key\":"
                        + "\"github.com/alice/echo@c0ffee\"}}" + limits + "}",
                DEPOSIT);
        assertThat(requestData(named)
                        .path("code_source")
                        .path("GitHub")
                        .path("commit")
                        .asText())
                .isEqualTo("c0ffee");

        assertThat(failure(call(
                        BOB,
                        "request_execution",
                        "{\"source\":{\"Project\":{\"project_id\":\"alice.test.near/echo\",\"version_key\":"
                                + "\"nope\"}}" + limits + "}",
                        DEPOSIT)))
                .contains("Version not found");
        assertThat(failure(call(
                        BOB,
                        "request_execution",
                        "{\"source\":{\"Project\":{\"project_id\":\"alice.test.near/none\"}}" + limits + "}",
                        DEPOSIT)))
                .contains("Project not found");
        assertThat(failure(call(
                        BOB,
                        "request_execution",
                        "{\"source\":{\"WasmUrl\":{\"url\":\"u\",\"hash\":\"h\"}}" + limits
                                + ",\"params\":{\"attached_usd\":\"5\"}}",
                        DEPOSIT)))
                .contains("attached_usd is only valid for Project execution source");
    }

    private static JsonNode requestData(TxOutcome tree) throws IOException {
        for (String log : logs(tree)) {
            if (log.startsWith("EVENT_JSON:")) {
                JsonNode event = JsonCodec.MAPPER.readTree(log.substring("EVENT_JSON:".length()));
                return JsonCodec.MAPPER.readTree(
                        event.path("data").get(0).path("request_data").asText());
            }
        }
        throw new AssertionError("no event in " + logs(tree));
    }

    @Test
    void pricingFullHasTheUsdPricesOfHttpsCalls() throws IOException {
        JsonNode pricing = view("get_pricing_full", "");
        assertThat(pricing.path("base_fee").asText()).isEqualTo("1000000000000000000000");
        assertThat(pricing.path("base_fee_usd").asText()).isEqualTo("1000");
        assertThat(pricing.path("per_million_instructions_fee_usd").asText()).isEqualTo("1");
        assertThat(pricing.path("per_sec_fee_usd").asText()).isEqualTo("1");
        assertThat(pricing.path("per_compile_ms_fee_usd").asText()).isEqualTo("10");
    }
}
