package dev.outlayer.bench.targetsystem.contracts;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The global contracts (NEP-591) this chain's one shard holds, by identifier: nearcore's
 * {@code TrieKey::GlobalContractCode} entries, each with its code compiled once (the simulator's
 * compile cache shares it with every account running the same code), and the
 * {@code TrieKey::GlobalContractNonce} of each identifier, which every deploy increments and which
 * a distribution must not be older than (runtime/runtime/src/global_contracts.rs). Thread-safe: a
 * distribution replaces an entry at once, so a call resolves either the old code or the new.
 */
final class GlobalContracts {
    /**
     * A distributed global contract: the code as deployed, its sha256, and the compiled contract or,
     * when the code does not compile, why (nearcore stores any code; calls then fail to compile).
     */
    record Code(byte[] code, byte[] hash, CompiledContract compiled, String compileError) {}

    private final ConcurrentHashMap<GlobalContractId, Code> codes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<GlobalContractId, Long> nonces = new ConcurrentHashMap<>();

    /** The code distributed under {@code id}, or null (nearcore's GlobalContractDoesNotExist). */
    Code get(GlobalContractId id) {
        return id == null ? null : codes.get(id);
    }

    /** The nonce of {@code id}'s last deploy, 0 before any (nearcore's get_nonce). */
    long nonce(GlobalContractId id) {
        return nonces.getOrDefault(id, 0L);
    }

    void setNonce(GlobalContractId id, long nonce) {
        nonces.put(id, nonce);
    }

    void put(GlobalContractId id, Code code) {
        codes.put(id, code);
    }

    int size() {
        return codes.size();
    }
}
