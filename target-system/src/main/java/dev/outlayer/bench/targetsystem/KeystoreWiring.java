package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.contracts.AccountState;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.keystore.ChainView;
import dev.outlayer.bench.targetsystem.keystore.KeystoreConfig;
import dev.outlayer.bench.targetsystem.keystore.KeystoreFront;
import dev.outlayer.bench.targetsystem.keystore.RpcChainView;
import dev.outlayer.bench.targetsystem.keystore.SecretsClient;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Turns the target system's flags into the keystore's configuration and the coordinator's client. */
final class KeystoreWiring {
    private KeystoreWiring() {}

    static KeystoreConfig config(TargetOptions options) {
        return new KeystoreConfig(
                options.keystoreDirectory(),
                options.keystoreMasterSecret,
                hashes(options.workerTokenHashes, options.workerTokenHashesFile, "--worker-token-hashes-file"),
                options.apiKeysFile,
                options.reloadIntervalMillis,
                options.keystoreMaxProfilesPerOwner,
                hashes(
                        options.coordinatorTokenHashes,
                        options.coordinatorTokenHashesFile,
                        "--coordinator-token-hashes-file"),
                options.outlayerContract);
    }

    private static List<String> hashes(List<String> given, String file, String flag) {
        List<String> hashes = new ArrayList<>(given);
        if (!file.isBlank()) {
            try {
                hashes.addAll(WorkerTokens.readHashFile(Path.of(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + flag + " " + file, e);
            }
        }
        return hashes;
    }

    /**
     * The keystore's view of the chain, for on-chain access conditions: a NEAR RPC when
     * {@code --keystore-chain-rpc} names one, else the contract simulator in this JVM (balances from
     * its accounts, view calls executed read-only), or none when the keystore runs without it
     * ({@code --components keystore}), where such conditions deny as OutLayer's do without a NEAR client.
     */
    static ChainView chainView(TargetOptions options, ContractSimulator contracts) {
        if (!options.keystoreChainRpc.isBlank()) {
            return new RpcChainView(options.keystoreChainRpc, Duration.ofMillis(options.keystoreTimeoutMillis));
        }
        return chainView(contracts);
    }

    static ChainView chainView(ContractSimulator contracts) {
        if (contracts == null) {
            return ChainView.NONE;
        }
        return new ChainView() {
            @Override
            public Optional<BigInteger> balance(String accountId) {
                return contracts.account(accountId).map(AccountState::balance);
            }

            @Override
            public byte[] viewCall(String contractId, String method, byte[] args) {
                Outcome outcome;
                try {
                    outcome = contracts.execute(CallRequest.view(contractId, method, args));
                } catch (ContractSimulator.UnknownAccountException e) {
                    throw new ChainView.ViewFailedException("account " + contractId + " does not exist");
                }
                if (!outcome.success()) {
                    throw new ChainView.ViewFailedException(outcome.errorKind() + ": " + outcome.errorMessage());
                }
                return outcome.result() == null ? new byte[0] : outcome.result();
            }

            @Override
            public Optional<List<String>> accessKeys(String accountId) {
                return contracts
                        .account(accountId)
                        .map(account -> account.accessKeys().keySet().stream()
                                .map(PublicKey::toString)
                                .toList());
            }
        };
    }

    /** The coordinator's worker token: the configured one, or a random one for an embedded keystore. */
    static String workerToken(TargetOptions options) {
        return options.workerToken.isBlank() ? randomToken() : options.workerToken;
    }

    /**
     * The coordinator's token for the keystore's coordinator routes (OutLayer's coordinator holds one
     * apart from its workers'): the configured one, or a random one for an embedded keystore.
     */
    static String coordinatorToken(TargetOptions options) {
        return options.coordinatorToken.isBlank() ? randomToken() : options.coordinatorToken;
    }

    private static String randomToken() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The client the coordinator uses; {@code embeddedUrl} is null when no keystore runs in this JVM. */
    static SecretsClient client(TargetOptions options, String workerToken, String embeddedUrl, String loopbackHost) {
        return new SecretsClient(
                url(options, embeddedUrl, loopbackHost), workerToken, Duration.ofMillis(options.keystoreTimeoutMillis));
    }

    /** The coordinator's way to the keystore for its /secrets/* routes, with the coordinator's token. */
    static KeystoreFront front(
            TargetOptions options, String coordinatorToken, String embeddedUrl, String loopbackHost) {
        return new KeystoreFront(
                url(options, embeddedUrl, loopbackHost),
                coordinatorToken,
                Duration.ofMillis(options.keystoreTimeoutMillis));
    }

    /** The keystore the coordinator talks to: {@code --keystore-url}, else the one in this JVM, else the local port. */
    static String url(TargetOptions options, String embeddedUrl, String loopbackHost) {
        return !options.keystoreUrl.isBlank()
                ? options.keystoreUrl
                : embeddedUrl != null ? embeddedUrl : "http://" + loopbackHost + ":" + options.keystorePort;
    }
}
