package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition;
import dev.outlayer.bench.targetsystem.keystore.ChainView;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.keystore.RpcChainView;
import dev.outlayer.bench.targetsystem.keystore.SecretsException;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * OutLayer's on-chain access conditions evaluated against the contract simulator's state, through
 * the ChainView the root wires (KeystoreWiring): NearBalance from the account, FtBalance by
 * ft_balance_of on the near-sdk-as token, NftOwned by nft_token / nft_tokens_for_owner on the
 * bundled NFT, DaoMember by get_policy on a DAO reduced to its policy (test wat dao_policy).
 */
class KeystoreChainConditionsTest {
    static final String FT = "ft.test.near";
    static final String NFT = "nft.test.near";
    static final String DAO = "dao.test.near";
    static final String ALICE = "alice.test.near";
    static final String BOB = "bob.test.near";
    static final BigInteger NEAR = BigInteger.TEN.pow(24);

    static ContractSimulator simulator;

    static ChainView chain;

    /** Not a static @AutoClose field: JUnit would close it after LeakGuard has looked (see LeakGuard). */
    @AfterAll
    static void closeSimulator() {
        simulator.close();
    }

    @BeforeAll
    static void deploy() throws Exception {
        simulator = TestContracts.simulator(true);
        Path bundled = Path.of(System.getProperty("outlayer.root", ".."), "resources", "contracts");
        simulator.putAccount(ALICE, NEAR.multiply(BigInteger.TEN));
        simulator.putAccount(BOB, NEAR);
        simulator.deploy(FT, Files.readAllBytes(bundled.resolve("ft.wasm")));
        run(CallRequest.call(FT, "new_default_meta", utf8("{\"owner_id\":\"" + ALICE + "\",\"total_supply\":\"1000\"}"))
                .withCaller(FT, FT));
        simulator.deploy(NFT, Files.readAllBytes(bundled.resolve("nft.wasm")));
        run(CallRequest.call(NFT, "new_default_meta", utf8("{\"owner_id\":\"" + NFT + "\"}"))
                .withCaller(NFT, NFT));
        run(CallRequest.call(
                        NFT,
                        "nft_mint",
                        utf8("{\"token_id\":\"t1\",\"token_owner_id\":\"" + ALICE
                                + "\",\"token_metadata\":{\"title\":\"T\"}}"))
                .withCaller(NFT, NFT)
                .withDeposit(NEAR.divide(BigInteger.TEN)));
        simulator.deploy(DAO, TestContracts.wasm("dao_policy"));
        run(
                CallRequest.call(
                        DAO,
                        "set_policy",
                        utf8(
                                "{\"roles\":["
                                        + "{\"name\":\"all\",\"kind\":\"Everyone\",\"permissions\":[\"*:AddProposal\"],\"vote_policy\":{}},"
                                        + "{\"name\":\"council\",\"kind\":{\"Group\":[\"" + ALICE
                                        + "\"]},\"permissions\":[\"*:*\"],"
                                        + "\"vote_policy\":{}},"
                                        + "{\"name\":\"holders\",\"kind\":{\"Member\":\"1000\"},\"permissions\":[],\"vote_policy\":{}}],"
                                        + "\"default_vote_policy\":{\"weight_kind\":\"RoleWeight\",\"quorum\":\"0\",\"threshold\":[1,2]},"
                                        + "\"proposal_bond\":\"100000000000000000000000\",\"proposal_period\":\"604800000000000\","
                                        + "\"bounty_bond\":\"100000000000000000000000\",\"bounty_forgiveness_period\":\"86400000000000\"}")));
        chain = KeystoreWiring.chainView(simulator);
    }

    private static void run(CallRequest call) {
        Outcome outcome = simulator.execute(call);
        assertThat(outcome.success()).as(outcome.errorMessage()).isTrue();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static AccessCondition condition(String json) throws Exception {
        return AccessCondition.parse(JsonCodec.MAPPER.readTree(json));
    }

    private static boolean allows(String json, String account) throws Exception {
        return condition(json).allows(account, chain);
    }

    private static void assertUnreadable(String json, String account, String why) {
        assertThatThrownBy(() -> allows(json, account))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("cannot be evaluated")
                .hasMessageContaining(why)
                .extracting(e -> ((ApiException) e).kind())
                .isEqualTo(ApiException.Kind.UNPROCESSABLE);
    }

    @Test
    void nearBalanceComparesTheAccountsAmount() throws Exception {
        String tenNear = NEAR.multiply(BigInteger.TEN).toString();
        assertThat(allows("{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"" + tenNear + "\"}}", ALICE))
                .isTrue();
        assertThat(allows("{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"" + tenNear + "\"}}", BOB))
                .isFalse();
        assertThat(allows("{\"NearBalance\":{\"operator\":\"Gt\",\"value\":\"" + tenNear + "\"}}", ALICE))
                .isFalse();
        assertThat(allows("{\"NearBalance\":{\"operator\":\"Eq\",\"value\":\"" + NEAR + "\"}}", BOB))
                .isTrue();
        assertThat(allows("{\"NearBalance\":{\"operator\":\"Lt\",\"value\":\"" + tenNear + "\"}}", BOB))
                .isTrue();
        assertThat(allows("{\"NearBalance\":{\"operator\":\"Ne\",\"value\":\"" + NEAR + "\"}}", BOB))
                .isFalse();
        assertThat(allows("{\"NearBalance\":{\"operator\":\"Lte\",\"value\":\"0\"}}", BOB))
                .isFalse();
        assertUnreadable(
                "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1\"}}", "nobody.test.near", "does not exist");
    }

    @Test
    void ftBalanceCallsFtBalanceOfOnTheToken() throws Exception {
        String atLeast1000 = "{\"FtBalance\":{\"contract\":\"" + FT + "\",\"operator\":\"Gte\",\"value\":\"1000\"}}";
        assertThat(allows(atLeast1000, ALICE)).isTrue();
        assertThat(allows(atLeast1000, BOB)).isFalse();
        assertThat(allows("{\"FtBalance\":{\"contract\":\"" + FT + "\",\"operator\":\"Eq\",\"value\":\"0\"}}", BOB))
                .isTrue();
        assertUnreadable(
                "{\"FtBalance\":{\"contract\":\"missing.test.near\",\"operator\":\"Gte\",\"value\":\"1\"}}",
                ALICE,
                "missing.test.near.ft_balance_of failed");
        // A contract without ft_balance_of cannot answer: unreadable, not a zero balance.
        assertUnreadable(
                "{\"FtBalance\":{\"contract\":\"" + NFT + "\",\"operator\":\"Gte\",\"value\":\"1\"}}", ALICE, "failed");
    }

    @Test
    void nftOwnedAskesTheTokenOrTheOwnersTokens() throws Exception {
        String any = "{\"NftOwned\":{\"contract\":\"" + NFT + "\"}}";
        assertThat(allows(any, ALICE)).isTrue();
        assertThat(allows(any, BOB)).isFalse();
        String t1 = "{\"NftOwned\":{\"contract\":\"" + NFT + "\",\"token_id\":\"t1\"}}";
        assertThat(allows(t1, ALICE)).isTrue();
        assertThat(allows(t1, BOB)).isFalse();
        assertThat(allows("{\"NftOwned\":{\"contract\":\"" + NFT + "\",\"token_id\":\"nope\"}}", ALICE))
                .isFalse();
    }

    @Test
    void daoMemberReadsTheRoleFromGetPolicy() throws Exception {
        assertThat(allows("{\"DaoMember\":{\"dao_contract\":\"" + DAO + "\",\"role\":\"council\"}}", ALICE))
                .isTrue();
        assertThat(allows("{\"DaoMember\":{\"dao_contract\":\"" + DAO + "\",\"role\":\"council\"}}", BOB))
                .isFalse();
        assertThat(allows("{\"DaoMember\":{\"dao_contract\":\"" + DAO + "\",\"role\":\"all\"}}", BOB))
                .isTrue();
        assertThat(allows("{\"DaoMember\":{\"dao_contract\":\"" + DAO + "\",\"role\":\"treasury\"}}", ALICE))
                .isFalse();
        // OutLayer does not evaluate token-weighted roles; under Not a refusal must not admit.
        assertUnreadable("{\"DaoMember\":{\"dao_contract\":\"" + DAO + "\",\"role\":\"holders\"}}", ALICE, "Member");
        assertUnreadable(
                "{\"Not\":{\"condition\":{\"DaoMember\":{\"dao_contract\":\"" + DAO + "\",\"role\":\"holders\"}}}}",
                BOB,
                "Member");
    }

    /**
     * As OutLayer's newest keystore (types.rs evaluate): a branch that cannot be read is unknown and
     * carried, so a branch that decides settles the answer wherever it is written; the order of the
     * branches never changes the verdict.
     */
    @Test
    void aDecidingBranchSettlesTheCombinatorWhereverItIsWritten() throws Exception {
        String orWithUnreadable = "{\"Logic\":{\"operator\":\"Or\",\"conditions\":["
                + "{\"Whitelist\":{\"accounts\":[\"" + ALICE + "\"]}},"
                + "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1\"}}]}}";
        assertThat(allows(orWithUnreadable, ALICE)).isTrue();
        assertUnreadable(orWithUnreadable, "nobody.test.near", "does not exist");
        String unreadableFirst = "{\"Logic\":{\"operator\":\"Or\",\"conditions\":["
                + "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1\"}},"
                + "{\"Whitelist\":{\"accounts\":[\"nobody.test.near\"]}}]}}";
        assertThat(allows(unreadableFirst, "nobody.test.near"))
                .as("true OR unknown, the unknown written first")
                .isTrue();
        String andUnreadableFirst = "{\"Logic\":{\"operator\":\"And\",\"conditions\":["
                + "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1\"}},"
                + "{\"Whitelist\":{\"accounts\":[\"" + ALICE + "\"]}}]}}";
        assertThat(allows(andUnreadableFirst, "nobody.test.near"))
                .as("false AND unknown, the unknown written first")
                .isFalse();
        assertUnreadable(
                "{\"Not\":{\"condition\":" + andUnreadableFirst.replace(ALICE, "nobody.test.near") + "}}",
                "nobody.test.near",
                "does not exist");
        String nftAndBalance = "{\"Logic\":{\"operator\":\"And\",\"conditions\":["
                + "{\"NftOwned\":{\"contract\":\"" + NFT + "\"}},"
                + "{\"FtBalance\":{\"contract\":\"" + FT + "\",\"operator\":\"Gt\",\"value\":\"0\"}}]}}";
        assertThat(allows(nftAndBalance, ALICE)).isTrue();
        assertThat(allows(nftAndBalance, BOB)).isFalse();
    }

    @Test
    void withoutAChainOnChainConditionsAreUnknownAsOutLayersNewestKeystoreWithoutANearClient() throws Exception {
        for (String leaf : new String[] {
            "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"0\"}}",
            "{\"FtBalance\":{\"contract\":\"" + FT + "\",\"operator\":\"Gte\",\"value\":\"0\"}}",
            "{\"NftOwned\":{\"contract\":\"" + NFT + "\"}}",
            "{\"DaoMember\":{\"dao_contract\":\"" + DAO + "\",\"role\":\"council\"}}"
        }) {
            String tag = leaf.substring(2, leaf.indexOf('"', 2));
            for (String access : new String[] {leaf, "{\"Not\":{\"condition\":" + leaf + "}}"}) {
                assertThatThrownBy(() -> condition(access).allows(ALICE, ChainView.NONE))
                        .as("never a verdict, a denial would admit under Not: %s", access)
                        .isInstanceOf(ApiException.class)
                        .hasMessage("access condition cannot be evaluated: " + tag
                                + ": this keystore has no NEAR client configured");
            }
        }
        assertThat(KeystoreWiring.chainView(null)).isSameAs(ChainView.NONE);
    }

    @Test
    void validUntilAdmitsOnlyBeforeItsInstant() throws Exception {
        assertThat(allows("{\"ValidUntil\":{\"until_ns\":\"1\"}}", ALICE)).isFalse();
        assertThat(allows("{\"ValidUntil\":{\"until_ns\":\"18446744073709551615\"}}", ALICE))
                .isTrue();
        assertThat(allows("{\"Not\":{\"condition\":{\"ValidUntil\":{\"until_ns\":\"1\"}}}}", ALICE))
                .isTrue();
    }

    /** The wiring of TargetSystem: the embedded keystore reads the coordinator's simulator. */
    @Test
    void theEmbeddedKeystoreJudgesAnNftConditionOnTheRunningSimulator(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("api-keys.csv");
        Files.writeString(keys, "api_key,tier,owner\nk1,standard," + ALICE + "\n");
        Path tiers = dir.resolve("tiers.csv");
        Files.writeString(tiers, "tier,rate_per_second,burst,max_in_flight\nanonymous,5,10,4\nstandard,20,40,8\n");
        TargetOptions options = new TargetOptions();
        new CommandLine(options)
                .parseArgs(
                        "--components", "coordinator,keystore",
                        "--coordinator-port", "0",
                        "--keystore-port", "0",
                        "--host", "127.0.0.1",
                        "--keystore-data-dir", dir.resolve("ks").toString(),
                        "--api-keys-file", keys.toString(),
                        "--tiers-file", tiers.toString(),
                        "--upstream-rpc", "http://127.0.0.1:9",
                        "--shutdown-grace-ms", "500",
                        "--contracts-dir",
                                Path.of(System.getProperty("outlayer.root", ".."))
                                        .resolve("resources/contracts")
                                        .toString());
        try (TargetSystem system = TargetSystem.start(options)) {
            ContractSimulator running = system.contracts();
            Outcome mint = running.execute(CallRequest.call(
                            NFT,
                            "nft_mint",
                            utf8("{\"token_id\":\"badge\",\"token_owner_id\":\"" + BOB
                                    + "\",\"token_metadata\":{\"title\":\"B\"}}"))
                    .withCaller(NFT, NFT)
                    .withDeposit(NEAR.divide(BigInteger.TEN)));
            assertThat(mint.success()).as(mint.errorMessage()).isTrue();
            HttpClient http = HttpClient.newHttpClient();
            JsonNode key = JsonCodec.MAPPER.readTree(http.send(
                            HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/pubkey"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"repo\":\"github.com/a/b\",\"owner\":\"" + ALICE + "\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            String blob = Base64.getEncoder()
                    .encodeToString(Ecies.encrypt(
                            HexFormat.of().parseHex(key.path("pubkey").asText()), utf8("{\"X\":\"y\"}")));
            var stored = http.send(
                    HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/secrets/" + ALICE + "/holders"))
                            .header("Authorization", "Bearer k1")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"repo\":\"github.com/a/b\","
                                    + "\"encrypted_secrets_base64\":\"" + blob + "\","
                                    + "\"access\":{\"NftOwned\":{\"contract\":\"" + NFT
                                    + "\",\"token_id\":\"badge\"}}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
            SecretsRef ref = new SecretsRef(ALICE, "holders", "github.com/a/b", null);
            assertThat(system.secretsClient().fetch(ref, BOB)).containsEntry("X", "y");
            assertThatThrownBy(() -> system.secretsClient().fetch(ref, ALICE))
                    .isInstanceOf(SecretsException.class)
                    .extracting(e -> ((SecretsException) e).kind())
                    .isEqualTo(ApiException.Kind.FORBIDDEN);

            // A balance condition: a caller with no account cannot be judged (422), not silently refused.
            running.putAccount(BOB, NEAR);
            var rich = http.send(
                    HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/secrets/" + ALICE + "/rich"))
                            .header("Authorization", "Bearer k1")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"repo\":\"github.com/a/b\","
                                    + "\"encrypted_secrets_base64\":\"" + blob + "\","
                                    + "\"access\":{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"" + NEAR
                                    + "\"}}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rich.statusCode()).as(rich.body()).isEqualTo(201);
            SecretsRef richRef = new SecretsRef(ALICE, "rich", "github.com/a/b", null);
            assertThat(system.secretsClient().fetch(richRef, BOB)).containsEntry("X", "y");
            assertThatThrownBy(() -> system.secretsClient().fetch(richRef, "nobody.test.near"))
                    .isInstanceOf(SecretsException.class)
                    .hasMessageContaining("does not exist")
                    .extracting(e -> ((SecretsException) e).kind())
                    .isEqualTo(ApiException.Kind.UNPROCESSABLE);
        }
    }

    /** A keystore without the simulator reads the same conditions over NEAR RPC (--keystore-chain-rpc). */
    @Test
    void overNearRpcTheSameConditionsGiveTheSameVerdicts(@TempDir Path dir) throws Exception {
        TargetOptions options = new TargetOptions();
        new CommandLine(options)
                .parseArgs(
                        "--components", "rpc",
                        "--rpc-port", "0",
                        "--host", "127.0.0.1",
                        "--shutdown-grace-ms", "500",
                        "--contracts-dir",
                                Path.of(System.getProperty("outlayer.root", ".."))
                                        .resolve("resources/contracts")
                                        .toString());
        try (TargetSystem rpcOnly = TargetSystem.start(options)) {
            ContractSimulator remote = rpcOnly.contracts();
            remote.putAccount(ALICE, NEAR);
            Outcome mint = remote.execute(CallRequest.call(
                            NFT,
                            "nft_mint",
                            utf8("{\"token_id\":\"r1\",\"token_owner_id\":\"" + ALICE
                                    + "\",\"token_metadata\":{\"title\":\"R\"}}"))
                    .withCaller(NFT, NFT)
                    .withDeposit(NEAR.divide(BigInteger.TEN)));
            assertThat(mint.success()).as(mint.errorMessage()).isTrue();
            TargetOptions keystoreOnly = new TargetOptions();
            keystoreOnly.keystoreChainRpc = rpcOnly.rpcUrl();
            ChainView overRpc = KeystoreWiring.chainView(keystoreOnly, null);
            assertThat(overRpc).isInstanceOf(RpcChainView.class);
            assertThat(KeystoreWiring.chainView(new TargetOptions(), null)).isSameAs(ChainView.NONE);

            // The owner's access keys (view_access_key_list), which /update_user_secrets checks a signer against.
            PublicKey aliceKey = PublicKey.ed25519(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                29, 30, 31, 32
            });
            remote.putAccessKey(ALICE, aliceKey, AccessKey.fullAccess(0));
            assertThat(overRpc.accessKeys(ALICE))
                    .hasValueSatisfying(keys -> assertThat(keys).contains(aliceKey.toString()));
            // nearcore lists no keys for an account that does not exist (no UNKNOWN_ACCOUNT): either way none signs.
            assertThat(overRpc.accessKeys("nobody.test.near").orElse(java.util.List.of()))
                    .isEmpty();
            assertThat(KeystoreWiring.chainView(remote).accessKeys("nobody.test.near"))
                    .isEmpty();
            assertThat(KeystoreWiring.chainView(remote).accessKeys(ALICE)).isEqualTo(overRpc.accessKeys(ALICE));

            String owned = "{\"NftOwned\":{\"contract\":\"" + NFT + "\",\"token_id\":\"r1\"}}";
            assertThat(condition(owned).allows(ALICE, overRpc)).isTrue();
            assertThat(condition(owned).allows(BOB, overRpc)).isFalse();
            assertThat(condition("{\"NftOwned\":{\"contract\":\"" + NFT + "\"}}")
                            .allows(ALICE, overRpc))
                    .isTrue();
            String oneNear = "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"" + NEAR + "\"}}";
            assertThat(condition(oneNear).allows(ALICE, overRpc)).isTrue();
            assertThatThrownBy(() -> condition(oneNear).allows("nobody.test.near", overRpc))
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(() -> condition(
                                    "{\"FtBalance\":{\"contract\":\"missing.test.near\",\"operator\":\"Gte\",\"value\":\"1\"}}")
                            .allows(ALICE, overRpc))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("cannot be evaluated");
        }
    }
}
