package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.outlayer.bench.results.names.Measured.Transactions;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.ContractApi;
import dev.outlayer.bench.simulations.support.CounterContract;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.NearRpc;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Phases;
import dev.outlayer.bench.simulations.support.SignedCall;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 12, "Transactions over JSON-RPC": the counter's {@code increment} as a NEAR developer's dApp sends
 * it, a signed transaction through {@code send_tx} (waiting for EXECUTED_OPTIMISTIC, near-api-js's default),
 * next to the same call through the coordinator's HTTP API, alternately from each client so that both
 * paths see the same load. Each virtual user is one account of {@code feeders/accounts.csv} (the
 * {@code user*} rows with a {@code private_key}): it reads its key's nonce ({@code view_access_key}) and a
 * final block hash once, then builds, Borsh-encodes and ed25519-signs every transaction itself (Bouncy
 * Castle, the target's own {@link TransactionSigner}). Transactions go to the NEAR RPC emulator directly,
 * or through the coordinator's {@code /near-rpc} proxy with an {@code unlimited} key when a deployment names
 * no RPC URL. Asserts that every request succeeds and that the transaction path's p50 stays within
 * {@code -Dtransactions.maxRatioP50} times the HTTP call's; prints both paths and the client's signing time.
 */
public class TransactionSimulation extends BenchSimulation {
    private static final int USERS = Params.integer("transactions.users", 8, 4);
    private static final int CALLS = Params.integer("transactions.callsPerUser", 100, 25);
    private static final int WARM_UP = Params.integer("transactions.warmUpPerUser", 100, 50);
    private static final double MAX_RATIO_P50 = Params.decimal("transactions.maxRatioP50", 5);
    /** Each client re-reads the final block's hash every so many transactions. */
    private static final int BLOCK_HASH_EVERY = Params.integer("transactions.blockHashEvery", 1_000);

    private static final String COUNTER = CounterContract.ACCOUNT;
    private static final long GAS = 30_000_000_000_000L;

    private static final String SEND_TX = Transactions.SEND_TX.name();
    private static final String HTTP_CALL = Transactions.HTTP_CALL.name();
    private static final String WARM_UP_TX = "tx: send_tx increment (warm-up)";
    private static final String WARM_UP_CALL = "http: call increment (warm-up)";
    private static final String VIEW_KEY = "tx: view_access_key";
    private static final String FINAL_BLOCK = "tx: block final";

    /** The emulator itself, or the proxy (with the feeder's key, never throttled) for a deployment without one. */
    private static final NearRpc RPC = new NearRpc(NearRpc.targetUrl(), "Bearer #{" + JsonRpc.API_KEY + "}");

    private static final LongAdder SIGNING_NANOS = new LongAdder();
    private static final LongAdder SIGNED = new LongAdder();

    private final HttpProtocolBuilder protocol = JsonRpc.protocol();

    private final ScenarioBuilder clients = scenario("signed transactions and HTTP calls")
            .feed(accounts())
            .feed(JsonRpc.apiKeyFeeder("unlimited"))
            .exec(session -> session.set(
                    "signer", new TransactionSigner(session.getString("account_id"), session.getString("private_key"))))
            .exec(Observed.send(VIEW_KEY, RPC.accessKeyNonce(VIEW_KEY, "signer", "nonce")))
            .exec(finalBlock())
            .repeat(WARM_UP)
            .on(pair(WARM_UP_TX, WARM_UP_CALL))
            .repeat(CALLS, "n")
            .on(doIf(session -> session.getInt("n") % BLOCK_HASH_EVERY == BLOCK_HASH_EVERY - 1)
                    .then(finalBlock())
                    .exec(pair(SEND_TX, HTTP_CALL)));

    /**
     * A recent final block's hash to sign with. The emulator's head runs ahead of the clock under this
     * load (about two blocks a transaction), so a hash read once would pass its 86,400 blocks of validity
     * on a long run; a client re-reads it now and then (near-api-js before every transaction).
     */
    private static ChainBuilder finalBlock() {
        return exec(Observed.send(FINAL_BLOCK, RPC.finalBlockHash(FINAL_BLOCK, "blockHash")));
    }

    {
        verdicts.atMost("transaction p50 over HTTP call p50", TransactionSimulation::ratioP50, MAX_RATIO_P50, "x");
        setUp(Phases.inOrder(clients.injectOpen(atOnceUsers(USERS)), verdicts.population()))
                .protocols(protocol)
                .assertions(verdicts.assertions(
                        details(SEND_TX).successfulRequests().percent().is(100.0),
                        details(HTTP_CALL).successfulRequests().percent().is(100.0),
                        details(VIEW_KEY).successfulRequests().percent().is(100.0)));
    }

    /** The load accounts: the user* rows of feeders/accounts.csv that carry a private key, one per client. */
    private static FeederBuilder<Object> accounts() {
        List<Map<String, Object>> rows = SignedCall.signerRows("accounts.csv", "user");
        if (rows.size() < USERS) {
            throw new IllegalArgumentException("feeders/accounts.csv has " + rows.size() + " user* accounts with a"
                    + " private_key; -Dtransactions.users=" + USERS + " needs one per client (nonces are per key)");
        }
        return listFeeder(rows).queue();
    }

    /** One signed transaction, then one HTTP call, of the same method on the same contract. */
    private static ChainBuilder pair(String txName, String callName) {
        return exec(TransactionSimulation::signNext)
                .exec(Observed.send(
                        txName,
                        RPC.sendTx(txName, "EXECUTED_OPTIMISTIC")
                                // the refusal first, so that a failed transaction's report names it
                                .check(
                                        jsonPath("$.error.data").notExists(),
                                        jsonPath("$.result.status.SuccessValue").exists())))
                .exec(ContractApi.call(callName, COUNTER, "increment", ContractApi.noArgs()));
    }

    /** The next nonce, signed in this client, timed: what a dApp's signer costs before anything is sent. */
    private static Session signNext(Session session) {
        TransactionSigner signer = session.get("signer");
        long nonce = session.getLong("nonce") + 1;
        long start = System.nanoTime();
        SignedCall signed = SignedCall.sign(
                signer, COUNTER, nonce, session.getString("blockHash"), "increment", "{}", GAS, BigInteger.ZERO);
        SIGNING_NANOS.add(System.nanoTime() - start);
        SIGNED.increment();
        return session.set("nonce", nonce).set("tx", signed.base64());
    }

    private static double ratioP50() {
        return recorded().clientMillis(SEND_TX, 50) / recorded().clientMillis(HTTP_CALL, 50);
    }

    @Override
    protected void report() {
        Phases.print(SEND_TX, "rpc");
        Phases.print(HTTP_CALL);
        double ratio = ratioP50();
        System.out.printf(
                Locale.ROOT,
                "transaction path / HTTP call path, p50: %.2fx; signing in the client: %.1f us per transaction (%d)%n",
                ratio,
                SIGNED.sum() == 0 ? 0.0 : SIGNING_NANOS.sum() / 1000.0 / SIGNED.sum(),
                SIGNED.sum());
        recorded().value(Transactions.TX_OVER_HTTP_P50_X, ratio);
    }
}
