package dev.outlayer.bench.targetsystem.executions;

import static dev.outlayer.bench.targetsystem.executions.HttpsCallFixture.HASH;
import static dev.outlayer.bench.targetsystem.executions.HttpsCallFixture.KEY;
import static dev.outlayer.bench.targetsystem.executions.HttpsCallFixture.KEY_ID;
import static dev.outlayer.bench.targetsystem.executions.HttpsCallFixture.OWNER;
import static dev.outlayer.bench.targetsystem.executions.HttpsCallFixture.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.payments.Page;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyUsage;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.payments.ProjectEarnings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS calls on the coordinator without workers (the tasks stay queued, the test plays the
 * worker): OutLayer's checks and their statuses, the task as its worker gets it, billing on
 * completion (complete_https_call), exactly one finalization, the timeout releasing the
 * reservation, and refused calls changing nothing.
 */
class HttpsCallsTest {
    private final AtomicBoolean contractReadable = new AtomicBoolean(true);
    private final InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30));
    private final ContractViews views = HttpsCallFixture.views(contractReadable);
    private final ExecutionCoordinator coordinator = new ExecutionCoordinator(
            new ExecutionCoordinator.Settings("test", "outlayer.test.near", 0, Duration.ZERO, 100),
            store,
            null,
            null,
            null,
            views,
            new SimpleMeterRegistry());
    private final PaymentKeys keys = new PaymentKeys();
    private HttpsCalls calls = calls(HttpsCalls.Settings.DEFAULT);

    private HttpsCalls calls(HttpsCalls.Settings settings) {
        return new HttpsCalls(settings, keys, views);
    }

    @AfterEach
    void close() {
        calls.close();
        store.close();
    }

    private void fund(long amount, List<String> projects, String maxPerCall) {
        HttpsCallFixture.fund(keys, amount, projects, maxPerCall);
    }

    private CompletableFuture<HttpsCalls.Answer> call(String computeLimit, String deposit, boolean async) {
        return call("bob.near", "echo", OWNER + ":1:" + KEY, computeLimit, deposit, async, null);
    }

    private CompletableFuture<HttpsCalls.Answer> call(
            String owner, String name, String key, String computeLimit, String deposit, boolean async, String version) {
        return HttpsCallFixture.call(calls, coordinator, owner, name, key, computeLimit, deposit, async, version);
    }

    private ApiException refusal(Runnable action) {
        try {
            action.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    private ExecutionTask queuedTask() throws InterruptedException {
        return store.poll(Set.of(TaskQueue.COMPILE, TaskQueue.EXECUTE), Duration.ofSeconds(1))
                .orElseThrow();
    }

    @Test
    void anAsyncCallIsQueuedAsOutLayersHttpsTaskAndBilledOnCompletion() throws Exception {
        fund(100_000, List.of(), null);
        HttpsCalls.Answer pending = call("5000", "200", true).get();
        assertThat(pending.status()).isEqualTo("pending");
        assertThat(pending.pollUrl()).isEqualTo("/calls/" + pending.callId());
        assertThat(keys.statement(KEY_ID).reserved()).isEqualTo(5200);

        ExecutionTask task = queuedTask();
        assertThat(task.httpsCall()).isTrue();
        assertThat(task.callId()).isEqualTo(pending.callId());
        assertThat(task.dataId()).isEqualTo(pending.callId());
        assertThat(task.requestId()).isGreaterThanOrEqualTo(HttpsCalls.FIRST_REQUEST_ID);
        assertThat(task.projectId()).isEqualTo("bob.near/echo");
        assertThat(task.projectUuid()).isEqualTo("p0000000000000001");
        assertThat(task.codeSource().hash()).isEqualTo(HASH);
        assertThat(task.responseFormat()).isEqualTo("Json");
        assertThat(task.inputData()).isEqualTo("{\"answer\":42}");
        assertThat(task.paymentKeyOwner()).isEqualTo(OWNER);
        assertThat(task.paymentKeyNonce()).isEqualTo(1);
        assertThat(task.computeLimitUsd()).isEqualTo("5000");
        assertThat(task.attachedDepositUsd()).isEqualTo("200");
        assertThat(task.context().path("sender_id").asText()).isEqualTo(OWNER);
        assertThat(task.resourceLimits()).isEqualTo(new ResourceLimits(10_000_000_000L, 128, 60));
        assertThat(JsonCodec.MAPPER.valueToTree(task).path("is_https_call").asBoolean())
                .isTrue();
        // as a job store in PostgreSQL keeps it
        assertThat(JsonCodec.MAPPER.readValue(JsonCodec.MAPPER.writeValueAsString(task), ExecutionTask.class))
                .isEqualTo(task);

        // 3.5 M instructions and 2.4 s: 1000 + 3 x 1 + 2 x 1 (whole millions, whole seconds)
        boolean finalized = calls.complete(new HttpsCallCompletion.Report(
                pending.callId(), true, read("{\"ok\":true}"), null, 3_500_000, 2_400, 50, 9L));
        assertThat(finalized).isTrue();
        HttpsCalls.Answer done = calls.poll(pending.callId(), OWNER + ":1:" + KEY);
        assertThat(done.status()).isEqualTo("completed");
        assertThat(done.output().text()).isEqualTo("{\"ok\":true}");
        assertThat(done.computeCost()).isEqualTo("1005");
        assertThat(done.instructions()).isEqualTo(3_500_000);
        assertThat(done.timeMs()).isEqualTo(2_400);
        PaymentKeys.Statement statement = keys.statement(KEY_ID);
        assertThat(statement.reserved()).isZero();
        // the cost and the deposit less its refund go to spent
        assertThat(statement.spent()).isEqualTo(1005 + 150);
        assertThat(statement.available()).isEqualTo(100_000 - 1155);

        assertThat(calls.complete(new HttpsCallCompletion.Report(pending.callId(), false, null, "again", 0, 0, 0, 9L)))
                .as("a call is finalized once")
                .isFalse();
        assertThat(keys.statement(KEY_ID).spent()).isEqualTo(1155);
    }

    @Test
    void theDepositAProgramKeepsIsCreditedToTheProjectOwnerOnceEvenWhenTheRunFails() throws Exception {
        fund(100_000, List.of(), null);
        HttpsCalls.Answer first = call("5000", "200", true).get();
        queuedTask();
        calls.complete(new HttpsCallCompletion.Report(first.callId(), true, read("1"), null, 1, 1, 50, 1L));
        calls.complete(new HttpsCallCompletion.Report(first.callId(), true, read("1"), null, 1, 1, 0, 1L));
        HttpsCalls.Answer second = call("5000", "300", true).get();
        queuedTask();
        calls.complete(new HttpsCallCompletion.Report(second.callId(), false, null, "trap", 1, 1, 0, 2L));

        ProjectEarnings.Earnings earned = calls.earnings().of("bob.near").orElseThrow();
        // finalize_call: attached_deposit - refund_usd, successful or not
        assertThat(earned.balance()).isEqualTo(150 + 300);
        assertThat(earned.totalEarned()).isEqualTo(450);
        assertThat(calls.earnings().of(OWNER)).as("the payer earns nothing").isEmpty();

        // finalize_call's history rows (one per call that earned) and the key's usage rows, newest first
        assertThat(calls.earnings()
                        .history("bob.near", "https", new Page.Request(50, 0))
                        .items())
                .extracting(ProjectEarnings.Earning::callId, ProjectEarnings.Earning::amount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(second.callId(), BigInteger.valueOf(300)),
                        org.assertj.core.groups.Tuple.tuple(first.callId(), BigInteger.valueOf(150)));
        Page<PaymentKeyUsage.Usage> usage = calls.usage().of(KEY_ID, new Page.Request(20, 0));
        assertThat(usage.total()).isEqualTo(2);
        assertThat(usage.items())
                .extracting(PaymentKeyUsage.Usage::callId, PaymentKeyUsage.Usage::status, PaymentKeyUsage.Usage::jobId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(second.callId(), "failed", 2L),
                        org.assertj.core.groups.Tuple.tuple(first.callId(), "completed", 1L));
        assertThat(usage.items().get(1).attachedDeposit()).isEqualTo(200);
    }

    @Test
    void aSyncCallIsAnsweredWhenTheWorkerCompletesItAndItsCostIsCappedAtTheComputeLimit() throws Exception {
        fund(100_000, List.of(), null);
        CompletableFuture<HttpsCalls.Answer> answer = call("1000", null, false);
        assertThat(answer).isNotDone();
        ExecutionTask task = queuedTask();
        calls.complete(new HttpsCallCompletion.Report(
                task.callId(), false, null, "Execution failed: boom", 9_000_000_000L, 30_000, 0, 1L));
        HttpsCalls.Answer done = answer.get(5, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo("failed");
        assertThat(done.error()).isEqualTo("Execution failed: boom");
        assertThat(done.output()).isNull();
        assertThat(done.computeCost()).isEqualTo("1000");
        assertThat(keys.statement(KEY_ID).spent()).isEqualTo(1000);
        assertThat(keys.statement(KEY_ID).reserved()).isZero();
    }

    @Test
    void anAnsweredCallLeavesNoTimeoutQueuedBehind() throws Exception {
        fund(100_000_000, List.of(), null);
        int before = calls.scheduledTasks();
        for (int i = 0; i < 500; i++) {
            CompletableFuture<HttpsCalls.Answer> answer = call("1000", null, i % 2 == 0);
            ExecutionTask task = queuedTask();
            assertThat(calls.complete(new HttpsCallCompletion.Report(
                            task.callId(), true, read("{\"n\":" + i + "}"), null, 1, 1, 0, 1L)))
                    .isTrue();
            assertThat(answer.get(5, TimeUnit.SECONDS).status()).isIn("completed", "pending");
        }
        // Each cancelled timeout stayed queued for the call timeout (300 s), holding its call.
        assertThat(calls.scheduledTasks() - before)
                .as("timeouts still queued after their calls were answered")
                .isZero();
        assertThat(keys.statement(KEY_ID).spent()).isEqualTo(500L * 1000);
    }

    @Test
    void onlyTheNewestKeptFinishedCallsAreFound() throws Exception {
        calls.close();
        calls = new HttpsCalls(HttpsCalls.Settings.DEFAULT, HttpsCalls.Stores.inMemory(keys), views, 3);
        fund(100_000_000, List.of(), null);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<HttpsCalls.Answer> answer = call("1000", null, false);
            ExecutionTask task = queuedTask();
            ids.add(task.callId());
            assertThat(calls.complete(new HttpsCallCompletion.Report(
                            task.callId(), true, read("{\"n\":" + i + "}"), null, 1, 1, 0, 1L)))
                    .isTrue();
            assertThat(answer.get(5, TimeUnit.SECONDS).status()).isEqualTo("completed");
        }
        assertThat(ids.stream().map(id -> calls.computeCost(id).isPresent()))
                .as("the two oldest of five finished calls left the three kept")
                .containsExactly(false, false, true, true, true);
    }

    @Test
    void aSyncCallThatTimesOutReleasesItsReservationAndALateResultChangesNothing() throws Exception {
        calls.close();
        calls = calls(new HttpsCalls.Settings(
                BigInteger.valueOf(10_000), BigInteger.valueOf(1_000), Duration.ofMillis(200), 10, 1_000));
        fund(100_000, List.of(), null);
        CompletableFuture<HttpsCalls.Answer> answer = call(null, null, false);
        assertThat(keys.statement(KEY_ID).reserved())
                .as("the default compute limit")
                .isEqualTo(10_000);
        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ApiException.class)
                .hasMessage("Timeout waiting for result");
        String callId = queuedTask().callId();
        HttpsCalls.Answer failed = calls.poll(callId, OWNER + ":1:" + KEY);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.error()).isEqualTo("Timeout");
        assertThat(keys.statement(KEY_ID).reserved()).isZero();
        assertThat(keys.statement(KEY_ID).spent()).isZero();
        assertThat(calls.complete(new HttpsCallCompletion.Report(callId, true, read("1"), null, 1, 1, 0, 1L)))
                .isFalse();
        assertThat(keys.statement(KEY_ID).spent()).isZero();
        assertThat(calls.poll(callId, OWNER + ":1:" + KEY).status()).isEqualTo("failed");
    }

    @Test
    void refusedCallsAnswerOutLayersStatusesAndChangeNothing() throws Exception {
        fund(20_000, List.of("bob.near/echo"), "15000");
        String good = OWNER + ":1:" + KEY;
        assertThat(refusal(() -> call("bob.near", "echo", null, null, null, true, null))
                        .kind())
                .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
        assertThat(refusal(() -> call("bob.near", "echo", OWNER + ":1:" + "ef".repeat(32), null, null, true, null))
                        .getMessage())
                .isEqualTo("Invalid payment key");
        assertThat(refusal(() -> call("500", null, true)).getMessage())
                .isEqualTo("Compute limit too low: min=1000, provided=500");
        assertThat(refusal(() -> call("lots", null, true)).kind()).isEqualTo(ApiException.Kind.INVALID);
        assertThat(refusal(() -> call("1000", "-1", true)).kind()).isEqualTo(ApiException.Kind.INVALID);
        ApiException notAllowed = refusal(() -> call("carol.near", "echo", good, null, null, true, null));
        assertThat(notAllowed.kind()).isEqualTo(ApiException.Kind.FORBIDDEN);
        assertThat(notAllowed.getMessage()).isEqualTo("Project not allowed for this payment key");
        assertThat(refusal(() -> call("12000", "4000", true)).getMessage())
                .isEqualTo("Max per call exceeded: max=15000, requested=16000");
        ApiException noVersion = refusal(() -> call("bob.near", "echo", good, null, null, true, "nope"));
        assertThat(noVersion.kind()).isEqualTo(ApiException.Kind.NOT_FOUND);
        assertThat(noVersion.getMessage()).isEqualTo("Project version not found: bob.near/echo @ nope");
        ApiException tooLong = refusal(() -> calls.call(
                coordinator,
                "bob.near",
                "echo",
                new HttpsCalls.Credentials(good, null, null),
                new HttpsCalls.Request(read("1"), new HttpsCalls.Limits(null, null, 181L), true, null, null)));
        assertThat(tooLong.getMessage()).isEqualTo("resource_limits.max_execution_seconds exceeds the maximum 180");
        contractReadable.set(false);
        assertThat(refusal(() -> call(null, null, true)).kind()).isEqualTo(ApiException.Kind.UNAVAILABLE);
        contractReadable.set(true);

        call("12000", null, true).get();
        ApiException poor = refusal(() -> call("10000", null, true));
        assertThat(poor.kind()).isEqualTo(ApiException.Kind.PAYMENT_REQUIRED);
        assertThat(poor.getMessage()).isEqualTo("Insufficient balance: available=8000, required=10000");

        PaymentKeys.Statement statement = keys.statement(KEY_ID);
        assertThat(statement.reserved())
                .as("only the accepted call holds a reservation")
                .isEqualTo(12_000);
        assertThat(statement.spent()).isZero();
        assertThat(queuedTask().computeLimitUsd()).isEqualTo("12000");
        assertThat(store.poll(Set.of(TaskQueue.COMPILE, TaskQueue.EXECUTE), Duration.ZERO))
                .as("refused calls queue nothing")
                .isEmpty();
    }

    @Test
    void anUnknownProjectIsNotFoundBeforeAnythingIsReserved() {
        fund(20_000, List.of(), null);
        ApiException missing = refusal(() -> call("bob.near", "missing", OWNER + ":1:" + KEY, null, null, true, null));
        assertThat(missing.kind()).isEqualTo(ApiException.Kind.NOT_FOUND);
        assertThat(missing.getMessage()).isEqualTo("Project not found");
        assertThat(keys.statement(KEY_ID).reserved()).isZero();
    }

    @Test
    void grantKeysCannotAttachADeposit() {
        keys.init(KEY_ID, PaymentKeys.keyHash(KEY), List.of(), null);
        keys.grant(KEY_ID, BigInteger.valueOf(50_000));
        ApiException refused = refusal(() -> call(null, "1", true));
        assertThat(refused.kind()).isEqualTo(ApiException.Kind.FORBIDDEN);
        assertThat(refused.getMessage()).isEqualTo("Grant keys cannot use X-Attached-Deposit");
    }

    @Test
    void aKeyHasAConcurrencyLimitAndARateLimit() throws Exception {
        calls.close();
        calls = calls(new HttpsCalls.Settings(
                BigInteger.valueOf(1_000), BigInteger.valueOf(1_000), Duration.ofSeconds(30), 2, 4));
        fund(1_000_000, List.of(), null);
        List<HttpsCalls.Answer> accepted = new ArrayList<>();
        accepted.add(call(null, null, true).get());
        accepted.add(call(null, null, true).get());
        ApiException busy = refusal(() -> call(null, null, true));
        assertThat(busy.kind()).isEqualTo(ApiException.Kind.TOO_MANY_REQUESTS);
        assertThat(busy.getMessage()).isEqualTo("Too many concurrent calls");
        assertThat(keys.statement(KEY_ID).reserved()).isEqualTo(2_000);
        calls.complete(new HttpsCallCompletion.Report(accepted.get(0).callId(), true, read("1"), null, 0, 0, 0, 1L));
        call(null, null, true).get(); // a slot came free: the fourth call of the minute
        ApiException limited = refusal(() -> call(null, null, true));
        assertThat(limited.kind()).isEqualTo(ApiException.Kind.TOO_MANY_REQUESTS);
        assertThat(limited.getMessage()).isEqualTo("Rate limit exceeded");
    }

    @Test
    void aKeysRateWindowOpensAgainSixtySecondsAfterItsFirstCall() {
        calls.close();
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        calls = new HttpsCalls(
                new HttpsCalls.Settings(
                        BigInteger.valueOf(1_000), BigInteger.valueOf(1_000), Duration.ofSeconds(30), 10, 2),
                keys,
                views,
                now::get);
        String unknown = "nobody.near:1:" + KEY; // counted before the key is checked, as OutLayer counts
        for (int i = 0; i < 2; i++) {
            assertThat(refusal(() -> call("bob.near", "echo", unknown, null, null, true, null))
                            .kind())
                    .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
        }
        now.addAndGet(59_000_000_000L);
        ApiException limited = refusal(() -> call("bob.near", "echo", unknown, null, null, true, null));
        assertThat(limited.kind()).isEqualTo(ApiException.Kind.TOO_MANY_REQUESTS);
        assertThat(limited.getMessage()).isEqualTo("Rate limit exceeded");
        now.addAndGet(1_000_000_000L);
        assertThat(refusal(() -> call("bob.near", "echo", unknown, null, null, true, null))
                        .kind())
                .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
    }

    @Test
    void aCallIsPolledOnlyWithItsOwnKey() throws Exception {
        fund(100_000, List.of(), null);
        keys.init(new PaymentKeys.Id("mallory.near", 1), PaymentKeys.keyHash(KEY), List.of(), null);
        String callId = call(null, null, true).get().callId();
        assertThat(calls.poll(callId, OWNER + ":1:" + KEY).status()).isEqualTo("pending");
        assertThat(refusal(() -> calls.poll(callId, "mallory.near:1:" + KEY)).kind())
                .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
        assertThat(refusal(() -> calls.poll(callId, OWNER + ":1:" + "ef".repeat(32)))
                        .kind())
                .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
        assertThat(refusal(() -> calls.poll("not-a-uuid", OWNER + ":1:" + KEY)).kind())
                .isEqualTo(ApiException.Kind.INVALID);
        assertThat(refusal(() -> calls.poll(java.util.UUID.randomUUID().toString(), OWNER + ":1:" + KEY))
                        .kind())
                .isEqualTo(ApiException.Kind.NOT_FOUND);
    }
}
