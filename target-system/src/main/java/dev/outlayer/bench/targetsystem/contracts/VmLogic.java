package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.ExtCost.*;

import com.dylibso.chicory.runtime.Memory;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import dev.outlayer.bench.targetsystem.wasm.GasMeter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * NEAR's host functions with nearcore's semantics and gas ({@code logic.rs}): one method per
 * function, each charging from {@link ExtCost} before doing its work. Methods take the guest's
 * linear memory and the raw wasm arguments (u64 as long), so any import-binding layer can call
 * them; {@link NearImports} binds them for Chicory.
 *
 * <p>One instance serves one call on one thread.
 */
public final class VmLogic {
    /** near-sdk's "read that register" / "register unset" value: u64::MAX. */
    static final long U64_MAX = -1L;

    private final CallContext context;
    private final GasMeter gas;
    private final StateOverlay state;
    private final Map<Long, byte[]> registers = new HashMap<>();
    private long registersBytes;
    private final List<String> logs = new ArrayList<>();
    private long totalLogLength;
    private byte[] returnData;
    private final PromiseLog promises;
    private final ReceiptContext receipt;
    private long storageUsage;
    private BigInteger balance;

    /** u128::MAX: no balance may exceed it. */
    static final BigInteger U128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private final GasProfile profile = new GasProfile();
    /** The call's memory when its module declares none, made on first use (nearcore gives every contract one). */
    private Memory hostOnlyMemory;

    public VmLogic(CallContext context, GasMeter gas, StateOverlay state) {
        this(context, gas, state, ReceiptContext.NONE);
    }

    /**
     * @throws HostError BalanceExceeded... never: an account balance plus the deposit above
     *     u128::MAX is refused by the caller before the call (nearcore's IntegerOverflow)
     */
    public VmLogic(CallContext context, GasMeter gas, StateOverlay state, ReceiptContext receipt) {
        this.context = context;
        this.gas = gas;
        this.state = state;
        this.receipt = receipt;
        this.promises = new PromiseLog(receipt::dataId);
        this.storageUsage = context.storageUsage();
        BigInteger total = context.accountBalance().add(context.attachedDeposit());
        if (total.compareTo(U128_MAX) > 0) {
            throw new IllegalArgumentException("account balance plus attached deposit exceeds u128");
        }
        this.balance = total;
    }

    // ---- results of the call ----

    public List<String> logs() {
        return logs;
    }

    /** What value_return set, or null when the method returned nothing. */
    public byte[] returnData() {
        return returnData;
    }

    public PromiseLog promises() {
        return promises;
    }

    public long storageUsage() {
        return storageUsage;
    }

    public BigInteger balance() {
        return balance;
    }

    public GasMeter gas() {
        return gas;
    }

    /** What the registers count against {@code registers_memory_limit}: each length plus 8. */
    long registersMemoryUsage() {
        return registersBytes;
    }

    /** Gas per cost kind so far; {@link #finishProfile()} adds the wasm part and the trie nodes. */
    public GasProfile profile() {
        return profile;
    }

    /** Completes the profile once the call is over. */
    GasProfile finishProfile() {
        profile.finish(gas.wasmGas(), state.nodesTouched());
        return profile;
    }

    /** nearcore's contract loading charge, before the module is instantiated. */
    void chargeContractLoading(long codeSize) {
        charge(contract_loading_base);
        charge(contract_loading_bytes, codeSize);
    }

    // ---- gas, memory and registers (nearcore's vmstate.rs) ----

    private void charge(ExtCost cost) {
        gas.charge(cost.gas);
        profile.add(cost, cost.gas);
    }

    private void charge(ExtCost cost, long count) {
        long amount = cost.times(count);
        gas.charge(amount);
        profile.add(cost, amount);
    }

    /** touching_trie_node for each node the last storage access walked (none when this call's writes answered). */
    private void chargeTrieNodes() {
        charge(touching_trie_node, state.lastNodesTouched());
    }

    /**
     * The memory the call's host functions use: the instance's, or for a module without a memory
     * section the call's own blank one. nearcore's preparation gives such a module NEAR's memory
     * too (prepare_v3.rs {@code ensure_memory_section}), which its code cannot reach but host
     * functions read and write (wasmtime_runner {@code get_memory}).
     */
    Memory memoryOf(Memory instanceMemory) {
        if (instanceMemory != null) {
            return instanceMemory;
        }
        if (hostOnlyMemory == null) {
            hostOnlyMemory = NearMemory.blank();
        }
        return hostOnlyMemory;
    }

    private static int checkRange(Memory memory, long ptr, long len) {
        long size = (long) memory.pages() * Memory.PAGE_SIZE;
        if (ptr < 0 || len < 0 || ptr > size || len > size - ptr) {
            throw HostError.memoryAccessViolation();
        }
        return (int) ptr;
    }

    byte[] memoryGet(Memory memory, long ptr, long len) {
        charge(read_memory_base);
        charge(read_memory_byte, len);
        int at = checkRange(memory, ptr, len);
        return memory.readBytes(at, (int) len);
    }

    void memorySet(Memory memory, long ptr, byte[] data) {
        charge(write_memory_base);
        charge(write_memory_byte, data.length);
        int at = checkRange(memory, ptr, data.length);
        memory.write(at, data);
    }

    private byte[] registerGet(long registerId) {
        byte[] data = registers.get(registerId);
        if (data == null) {
            throw new HostError(new HostError.InvalidRegisterId(registerId));
        }
        charge(read_register_base);
        charge(read_register_byte, data.length);
        return data;
    }

    /**
     * nearcore's Registers::set (vmstate.rs): the write cost, then check_set_register. With
     * max_number_registers set none may be written, not even one that exists (nearcore's bug, kept
     * in the protocol); each register counts its length plus 8 against registers_memory_limit.
     */
    private void registerSet(long registerId, byte[] data) {
        registerSet(registerId, data, true);
    }

    /**
     * The call's input or a promise result into a register: nearcore's set_rc_data shares the bytes
     * the host already holds and charges write_register_base only (deterministic_account_ids, on
     * since protocol 82: input and promise_result stopped paying write_register_byte).
     */
    private void registerSetShared(long registerId, byte[] data) {
        registerSet(registerId, data, false);
    }

    private void registerSet(long registerId, byte[] data, boolean chargeBytes) {
        charge(write_register_base);
        if (chargeBytes) {
            charge(write_register_byte, data.length);
        }
        if (data.length > MAX_REGISTER_SIZE || registers.size() >= MAX_NUMBER_REGISTERS) {
            throw HostError.memoryAccessViolation();
        }
        byte[] previous = registers.get(registerId);
        long total = registersBytes
                - (previous == null ? 0 : previous.length + REGISTER_OVERHEAD)
                + data.length
                + REGISTER_OVERHEAD;
        if (total > REGISTERS_MEMORY_LIMIT) {
            throw HostError.memoryAccessViolation();
        }
        registers.put(registerId, data);
        registersBytes = total;
    }

    /** nearcore's per-register overhead in the memory usage: {@code size_of::<u64>()}. */
    private static final long REGISTER_OVERHEAD = 8;

    /** nearcore's get_memory_or_register: {@code len == u64::MAX} reads register {@code ptr}. */
    private byte[] memoryOrRegister(Memory memory, long ptr, long len) {
        return len == U64_MAX ? registerGet(ptr) : memoryGet(memory, ptr, len);
    }

    private BigInteger readU128(Memory memory, long ptr) {
        byte[] le = memoryGet(memory, ptr, 16);
        byte[] be = new byte[17];
        for (int i = 0; i < 16; i++) {
            be[16 - i] = le[i];
        }
        return new BigInteger(be);
    }

    private void writeU128(Memory memory, long ptr, BigInteger value) {
        memorySet(memory, ptr, u128(value));
    }

    /** A u128 as NEAR passes it: 16 bytes, little-endian. */
    static byte[] u128(BigInteger value) {
        byte[] be = value.toByteArray();
        byte[] le = new byte[16];
        for (int i = 0; i < 16 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    private void prohibitedInView(String method) {
        if (context.view()) {
            throw HostError.prohibitedInView(method);
        }
    }

    // ---- registers API ----

    public void readRegister(Memory memory, long registerId, long ptr) {
        charge(base);
        memorySet(memory, ptr, registerGet(registerId));
    }

    public long registerLen(long registerId) {
        charge(base);
        byte[] data = registers.get(registerId);
        return data == null ? U64_MAX : data.length;
    }

    public void writeRegister(Memory memory, long registerId, long dataLen, long dataPtr) {
        charge(base);
        registerSet(registerId, memoryGet(memory, dataPtr, dataLen));
    }

    // ---- context API ----

    public void currentAccountId(long registerId) {
        charge(base);
        registerSet(registerId, context.currentAccountId().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * NEP-638 (protocol 85, {@code chain_id_host_fn}): the chain's id into the register, as nearcore's
     * logic.rs chain_id: {@code base}, then the register's write; allowed in views.
     */
    public void chainId(long registerId) {
        charge(base);
        registerSet(registerId, ContractSimulator.CHAIN_ID.getBytes(StandardCharsets.UTF_8));
    }

    public void signerAccountId(long registerId) {
        charge(base);
        prohibitedInView("signer_account_id");
        registerSet(registerId, context.signerAccountId().getBytes(StandardCharsets.UTF_8));
    }

    public void signerAccountPk(long registerId) {
        charge(base);
        prohibitedInView("signer_account_pk");
        registerSet(registerId, context.signerAccountPk().clone());
    }

    public void predecessorAccountId(long registerId) {
        charge(base);
        prohibitedInView("predecessor_account_id");
        registerSet(registerId, context.predecessorAccountId().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * nearcore's current_contract_code (logic.rs): what the account runs, as 0 none (the register is
     * left alone), 1 its own code or 2 a global contract by code hash (the 32-byte hash into the
     * register), 3 a global contract by account id (the deployer's id into the register). Allowed in
     * views.
     */
    public long currentContractCode(long registerId) {
        charge(base);
        AccountContract contract = context.accountContract();
        switch (contract.kind()) {
            case LOCAL, GLOBAL -> registerSet(registerId, contract.codeHash());
            case GLOBAL_BY_ACCOUNT ->
                registerSet(registerId, contract.accountId().getBytes(StandardCharsets.UTF_8));
            case NONE -> {}
        }
        return contract.kind().ordinal();
    }

    /**
     * nearcore's refund_to_account_id (logic.rs): the account the receipt's balance refunds go to,
     * the refund_to its predecessor set with promise_set_refund_to or else the predecessor.
     */
    public void refundToAccountId(long registerId) {
        charge(base);
        prohibitedInView("refund_to_account_id");
        registerSet(registerId, context.refundToAccountId().getBytes(StandardCharsets.UTF_8));
    }

    public void input(long registerId) {
        charge(base);
        registerSetShared(registerId, context.input());
    }

    public long blockIndex() {
        charge(base);
        return context.blockIndex();
    }

    public long blockTimestamp() {
        charge(base);
        return context.blockTimestampNanos();
    }

    public long epochHeight() {
        charge(base);
        return context.epochHeight();
    }

    public long storageUsageNow() {
        charge(base);
        return storageUsage;
    }

    // ---- economics API ----

    public void accountBalance(Memory memory, long balancePtr) {
        charge(base);
        writeU128(memory, balancePtr, balance);
    }

    public void accountLockedBalance(Memory memory, long balancePtr) {
        charge(base);
        writeU128(memory, balancePtr, context.accountLockedBalance());
    }

    public void attachedDeposit(Memory memory, long balancePtr) {
        charge(base);
        // Allowed in views since nearcore 1.x: a view's attached deposit is zero.
        writeU128(memory, balancePtr, context.attachedDeposit());
    }

    public long prepaidGas() {
        charge(base);
        prohibitedInView("prepaid_gas");
        return context.prepaidGas();
    }

    public long usedGas() {
        charge(base);
        prohibitedInView("used_gas");
        return gas.used();
    }

    // ---- math API ----

    public void randomSeed(long registerId) {
        charge(base);
        registerSet(registerId, context.randomSeed().clone());
    }

    // The hash and signature functions below charge their own base and no wasm base (nearcore's
    // logic.rs starts each with pay_base(<fn>_base)), as the alt_bn128 and bls12381 ones do.

    public void sha256(Memory memory, long valueLen, long valuePtr, long registerId) {
        charge(sha256_base);
        byte[] value = memoryOrRegister(memory, valuePtr, valueLen);
        charge(sha256_byte, value.length);
        SHA256Digest digest = new SHA256Digest();
        digest.update(value, 0, value.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        registerSet(registerId, out);
    }

    public void keccak256(Memory memory, long valueLen, long valuePtr, long registerId) {
        charge(keccak256_base);
        byte[] value = memoryOrRegister(memory, valuePtr, valueLen);
        charge(keccak256_byte, value.length);
        registerSet(registerId, keccak(256, value));
    }

    public void keccak512(Memory memory, long valueLen, long valuePtr, long registerId) {
        charge(keccak512_base);
        byte[] value = memoryOrRegister(memory, valuePtr, valueLen);
        charge(keccak512_byte, value.length);
        registerSet(registerId, keccak(512, value));
    }

    private static byte[] keccak(int bits, byte[] value) {
        KeccakDigest digest = new KeccakDigest(bits);
        digest.update(value, 0, value.length);
        byte[] out = new byte[bits / 8];
        digest.doFinal(out, 0);
        return out;
    }

    public void ripemd160(Memory memory, long valueLen, long valuePtr, long registerId) {
        charge(ripemd160_base);
        byte[] value = memoryOrRegister(memory, valuePtr, valueLen);
        // nearcore: message_blocks = (len + 8) / 64 + 1, i.e. padding included.
        long blocks = ((long) value.length + 8) / 64 + 1;
        charge(ripemd160_block, blocks);
        RIPEMD160Digest digest = new RIPEMD160Digest();
        digest.update(value, 0, value.length);
        byte[] out = new byte[20];
        digest.doFinal(out, 0);
        registerSet(registerId, out);
    }

    /** nearcore's ecrecover: the secp256k1 key that signed a 32-byte hash, into the register. */
    public long ecrecover(
            Memory memory,
            long hashLen,
            long hashPtr,
            long sigLen,
            long sigPtr,
            long v,
            long malleabilityFlag,
            long registerId) {
        charge(ecrecover_base);
        byte[] signature = memoryOrRegister(memory, sigPtr, sigLen);
        if (signature.length != 64) {
            throw new HostError(new HostError.ECRecoverError(
                    "The length of the signature: " + signature.length + ", exceeds the limit of 64 bytes"));
        }
        if (v < 0 || v >= 4) {
            throw new HostError(new HostError.ECRecoverError(
                    "V recovery byte 0 through 3 are valid but was provided " + Long.toUnsignedString(v)));
        }
        byte[] hash = memoryOrRegister(memory, hashPtr, hashLen);
        if (hash.length != 32) {
            throw new HostError(new HostError.ECRecoverError(
                    "The length of the hash: " + hash.length + ", exceeds the limit of 32 bytes"));
        }
        if (malleabilityFlag != 0 && malleabilityFlag != 1) {
            throw new HostError(new HostError.ECRecoverError(
                    "Malleability flag needs to be 0 or 1, but is instead " + Long.toUnsignedString(malleabilityFlag)));
        }
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
        if (!Secp256k1.validValues(r, s, malleabilityFlag != 0)) {
            return 0;
        }
        byte[] publicKey = Secp256k1.recover(hash, r, s, (int) v);
        if (publicKey == null) {
            return 0;
        }
        registerSet(registerId, publicKey);
        return 1;
    }

    public long ed25519Verify(
            Memory memory, long sigLen, long sigPtr, long msgLen, long msgPtr, long pubKeyLen, long pubKeyPtr) {
        charge(ed25519_verify_base);
        byte[] signature =
                exactInput(memory, sigPtr, sigLen, 64, HostError.Ed25519VerifyInvalidInput::new, "signature");
        if ((signature[63] & 0b1110_0000) != 0) {
            return 0; // nearcore keeps ed25519-dalek 1.x's sanity check, before reading the message
        }
        byte[] message = memoryOrRegister(memory, msgPtr, msgLen);
        charge(ed25519_verify_byte, message.length);
        byte[] publicKey =
                exactInput(memory, pubKeyPtr, pubKeyLen, 32, HostError.Ed25519VerifyInvalidInput::new, "public key");
        return Ed25519.verify(publicKey, message, signature) ? 1 : 0;
    }

    /**
     * nearcore's p256_verify (logic.rs, NEP-635): an ECDSA P-256 signature (r || s, 64 bytes) of
     * a prehashed message under a compressed SEC1 key (33 bytes). Wrong lengths are a HostError; a
     * signature or key that does not parse, or a signature that does not verify, returns 0.
     */
    public long p256Verify(
            Memory memory, long sigLen, long sigPtr, long msgLen, long msgPtr, long pubKeyLen, long pubKeyPtr) {
        charge(p256_verify_base);
        byte[] signature = exactInput(memory, sigPtr, sigLen, 64, HostError.P256VerifyInvalidInput::new, "signature");
        if (!P256.validSignature(signature)) {
            return 0; // nearcore parses the signature before reading the message
        }
        byte[] message = memoryOrRegister(memory, msgPtr, msgLen);
        charge(p256_verify_byte, message.length);
        byte[] publicKey =
                exactInput(memory, pubKeyPtr, pubKeyLen, 33, HostError.P256VerifyInvalidInput::new, "public key");
        var point = P256.decompress(publicKey);
        return point != null && P256.verifyPrehash(point, message, signature) ? 1 : 0;
    }

    /** nearcore's alt_bn128_g1_multiexp: sum of point * scalar over 96-byte elements, into the register. */
    public void altBn128G1Multiexp(Memory memory, long valueLen, long valuePtr, long registerId) {
        charge(alt_bn128_g1_multiexp_base);
        byte[] data = memoryOrRegister(memory, valuePtr, valueLen);
        charge(alt_bn128_g1_multiexp_element, AltBn128.elements(data, 96));
        registerSet(registerId, AltBn128.g1Multiexp(data));
    }

    /** nearcore's alt_bn128_g1_sum: signed sum of points over 65-byte elements, into the register. */
    public void altBn128G1Sum(Memory memory, long valueLen, long valuePtr, long registerId) {
        charge(alt_bn128_g1_sum_base);
        byte[] data = memoryOrRegister(memory, valuePtr, valueLen);
        charge(alt_bn128_g1_sum_element, AltBn128.elements(data, 65));
        registerSet(registerId, AltBn128.g1Sum(data));
    }

    /**
     * nearcore's alt_bn128_pairing_check: 1 if the product of the pairings of 192-byte elements (G1,
     * G2) is one (so for no elements), else 0; the element gas is paid before any point is decoded.
     */
    public long altBn128PairingCheck(Memory memory, long valueLen, long valuePtr) {
        charge(alt_bn128_pairing_check_base);
        byte[] data = memoryOrRegister(memory, valuePtr, valueLen);
        charge(alt_bn128_pairing_check_element, AltBn128.elements(data, 192));
        return AltBn128.pairingCheck(data) ? 1 : 0;
    }

    /** nearcore's bls12381_p1_sum: signed sum of G1 points over 97-byte elements; 0 and the point, or 1. */
    public long bls12381P1Sum(Memory memory, long valueLen, long valuePtr, long registerId) {
        return bls12381(
                memory,
                valueLen,
                valuePtr,
                registerId,
                bls12381_p1_sum_base,
                bls12381_p1_sum_element,
                Bls12381.P1_SUM_ITEM,
                Bls12381::p1Sum);
    }

    /** nearcore's bls12381_p2_sum: signed sum of G2 points over 193-byte elements; 0 and the point, or 1. */
    public long bls12381P2Sum(Memory memory, long valueLen, long valuePtr, long registerId) {
        return bls12381(
                memory,
                valueLen,
                valuePtr,
                registerId,
                bls12381_p2_sum_base,
                bls12381_p2_sum_element,
                Bls12381.P2_SUM_ITEM,
                Bls12381::p2Sum);
    }

    /** nearcore's bls12381_g1_multiexp: sum of G1 point * scalar over 128-byte elements; 0 and the point, or 1. */
    public long bls12381G1Multiexp(Memory memory, long valueLen, long valuePtr, long registerId) {
        return bls12381(
                memory,
                valueLen,
                valuePtr,
                registerId,
                bls12381_g1_multiexp_base,
                bls12381_g1_multiexp_element,
                Bls12381.G1_MULTIEXP_ITEM,
                Bls12381::g1Multiexp);
    }

    /** nearcore's bls12381_g2_multiexp: sum of G2 point * scalar over 224-byte elements; 0 and the point, or 1. */
    public long bls12381G2Multiexp(Memory memory, long valueLen, long valuePtr, long registerId) {
        return bls12381(
                memory,
                valueLen,
                valuePtr,
                registerId,
                bls12381_g2_multiexp_base,
                bls12381_g2_multiexp_element,
                Bls12381.G2_MULTIEXP_ITEM,
                Bls12381::g2Multiexp);
    }

    /** nearcore's bls12381_map_fp_to_g1: 48-byte Fp elements to 96-byte G1 points; 0 and the points, or 1. */
    public long bls12381MapFpToG1(Memory memory, long valueLen, long valuePtr, long registerId) {
        return bls12381(
                memory,
                valueLen,
                valuePtr,
                registerId,
                bls12381_map_fp_to_g1_base,
                bls12381_map_fp_to_g1_element,
                Bls12381.FP_SIZE,
                Bls12381::mapFpToG1);
    }

    /** nearcore's bls12381_map_fp2_to_g2: 96-byte Fp2 elements to 192-byte G2 points; 0 and the points, or 1. */
    public long bls12381MapFp2ToG2(Memory memory, long valueLen, long valuePtr, long registerId) {
        return bls12381(
                memory,
                valueLen,
                valuePtr,
                registerId,
                bls12381_map_fp2_to_g2_base,
                bls12381_map_fp2_to_g2_element,
                Bls12381.FP2_SIZE,
                Bls12381::mapFp2ToG2);
    }

    /** nearcore's bls12381_p1_decompress: 48-byte compressed G1 points to 96-byte ones; 0 and the points, or 1. */
    public long bls12381P1Decompress(Memory memory, long valueLen, long valuePtr, long registerId) {
        return bls12381(
                memory,
                valueLen,
                valuePtr,
                registerId,
                bls12381_p1_decompress_base,
                bls12381_p1_decompress_element,
                Bls12381.P1_COMPRESSED_SIZE,
                Bls12381::p1Decompress);
    }

    /** nearcore's bls12381_p2_decompress: 96-byte compressed G2 points to 192-byte ones; 0 and the points, or 1. */
    public long bls12381P2Decompress(Memory memory, long valueLen, long valuePtr, long registerId) {
        return bls12381(
                memory,
                valueLen,
                valuePtr,
                registerId,
                bls12381_p2_decompress_base,
                bls12381_p2_decompress_element,
                Bls12381.P2_COMPRESSED_SIZE,
                Bls12381::p2Decompress);
    }

    /** nearcore's bls12381_pairing_check over 288-byte (G1, G2) elements: 0 when the product is one, 2 if not, 1 for a bad point. */
    public long bls12381PairingCheck(Memory memory, long valueLen, long valuePtr) {
        charge(bls12381_pairing_base);
        chargeElements(bls12381_pairing_element, Long.divideUnsigned(valueLen, Bls12381.PAIRING_ITEM));
        return Bls12381.pairingCheck(memoryOrRegister(memory, valuePtr, valueLen));
    }

    /**
     * nearcore's bls12381_impl: the base cost, then the element cost for each whole item of
     * {@code value_len} before the input is read (so a register input, len u64::MAX, overflows).
     */
    private long bls12381(
            Memory memory,
            long valueLen,
            long valuePtr,
            long registerId,
            ExtCost baseCost,
            ExtCost elementCost,
            int itemSize,
            java.util.function.UnaryOperator<byte[]> operation) {
        charge(baseCost);
        chargeElements(elementCost, Long.divideUnsigned(valueLen, itemSize));
        byte[] result = operation.apply(memoryOrRegister(memory, valuePtr, valueLen));
        if (result == null) {
            return 1;
        }
        registerSet(registerId, result);
        return 0;
    }

    /** nearcore's pay_per: a u64 overflow of count (a u64) * cost is IntegerOverflow. */
    private void chargeElements(ExtCost cost, long count) {
        if (Math.multiplyHigh(cost.gas, count) != 0) {
            throw new HostError(new HostError.IntegerOverflow());
        }
        charge(cost, count);
    }

    /** A signature or key read as the verify functions do: any other length is {@code variant} "invalid <what> length". */
    private byte[] exactInput(
            Memory memory,
            long ptr,
            long len,
            int length,
            java.util.function.Function<String, HostError.Kind> variant,
            String what) {
        byte[] bytes = memoryOrRegister(memory, ptr, len);
        if (bytes.length != length) {
            throw new HostError(variant.apply("invalid " + what + " length"));
        }
        return bytes;
    }

    // ---- miscellaneous API ----

    public void valueReturn(Memory memory, long valueLen, long valuePtr) {
        charge(base);
        byte[] value = memoryOrRegister(memory, valuePtr, valueLen);
        if (value.length > MAX_LENGTH_RETURNED_DATA) {
            throw new HostError(new HostError.ReturnedValueLengthExceeded(value.length, MAX_LENGTH_RETURNED_DATA));
        }
        // nearcore burns send and execution of every data receipt this value will travel in.
        long burn = 0;
        for (String receiver : receipt.outputDataReceivers()) {
            boolean sir = receiver.equals(context.currentAccountId());
            long perByte = Fee.plus(
                    Fee.data_receipt_creation_per_byte.send(sir), Fee.data_receipt_creation_per_byte.execution);
            burn = Fee.plus(burn, Fee.times(perByte, value.length));
        }
        if (burn > 0) {
            gas.charge(burn);
        }
        returnData = value;
    }

    public void panic() {
        charge(base);
        throw HostError.guestPanic("explicit guest panic");
    }

    public void panicUtf8(Memory memory, long len, long ptr) {
        charge(base);
        throw HostError.guestPanic(utf8String(memory, len, ptr));
    }

    public void logUtf8(Memory memory, long len, long ptr) {
        charge(base);
        checkCanLog();
        String message = utf8String(memory, len, ptr);
        charge(log_base);
        charge(log_byte, message.getBytes(StandardCharsets.UTF_8).length);
        pushLog(message);
    }

    public void logUtf16(Memory memory, long len, long ptr) {
        charge(base);
        checkCanLog();
        String message = utf16String(memory, len, ptr);
        charge(log_base);
        charge(log_byte, message.getBytes(StandardCharsets.UTF_8).length);
        pushLog(message);
    }

    /**
     * AssemblyScript's abort: both strings are UTF-16 with their byte length in the 4 bytes
     * before them. Logs {@code ABORT: ...} and fails the call with the same message, as nearcore.
     */
    /**
     * {@code env.gas} (nearcore's gas_seen_from_wasm, linked at every protocol): burns {@code opcodes}
     * (a u32) regular operations, no {@code base}, and the profile counts them as wasm gas, as
     * nearcore's burn_gas without an ExtCosts entry.
     */
    public void gasSeenFromWasm(int opcodes) {
        gas.chargeWasm(Integer.toUnsignedLong(opcodes) * ExtCost.REGULAR_OP_COST);
    }

    public void abort(Memory memory, int msgPtr, int filenamePtr, int line, int col) {
        charge(base);
        if (Integer.toUnsignedLong(msgPtr) < 4 || Integer.toUnsignedLong(filenamePtr) < 4) {
            throw new HostError(new HostError.BadUTF16());
        }
        checkCanLog();
        long msgLen = u32(memoryGet(memory, Integer.toUnsignedLong(msgPtr) - 4, 4));
        long filenameLen = u32(memoryGet(memory, Integer.toUnsignedLong(filenamePtr) - 4, 4));
        String message = utf16String(memory, msgLen, Integer.toUnsignedLong(msgPtr));
        String filename = utf16String(memory, filenameLen, Integer.toUnsignedLong(filenamePtr));
        String text = message + ", filename: \"" + filename + "\" line: " + Integer.toUnsignedString(line) + " col: "
                + Integer.toUnsignedString(col);
        charge(log_base);
        charge(log_byte, text.getBytes(StandardCharsets.UTF_8).length);
        pushLog("ABORT: " + text);
        throw HostError.guestPanic(text);
    }

    private static long u32(byte[] le) {
        return Integer.toUnsignedLong(
                ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    private void checkCanLog() {
        if (logs.size() >= MAX_NUMBER_LOGS) {
            throw new HostError(new HostError.NumberOfLogsExceeded(MAX_NUMBER_LOGS));
        }
    }

    private void pushLog(String message) {
        totalLogLength += message.getBytes(StandardCharsets.UTF_8).length;
        if (totalLogLength > MAX_TOTAL_LOG_LENGTH) {
            throw totalLogLengthExceeded(totalLogLength);
        }
        logs.add(message);
    }

    private static HostError totalLogLengthExceeded(long length) {
        return new HostError(new HostError.TotalLogLengthExceeded(length, MAX_TOTAL_LOG_LENGTH));
    }

    /** nearcore's get_utf8_string: {@code len == u64::MAX} means NUL-terminated. */
    private String utf8String(Memory memory, long len, long ptr) {
        charge(utf8_decoding_base);
        long maxLen = MAX_TOTAL_LOG_LENGTH - totalLogLength;
        byte[] buf;
        if (len != U64_MAX) {
            if (len > maxLen) {
                throw totalLogLengthExceeded(totalLogLength + len);
            }
            buf = memoryGet(memory, ptr, len);
        } else {
            java.io.ByteArrayOutputStream acc = new java.io.ByteArrayOutputStream();
            for (long i = 0; ; i++) {
                byte b = memoryGet(memory, ptr + i, 1)[0];
                if (b == 0) {
                    break;
                }
                if (i == maxLen) {
                    throw totalLogLengthExceeded(totalLogLength + maxLen + 1);
                }
                acc.write(b);
            }
            buf = acc.toByteArray();
        }
        charge(utf8_decoding_byte, buf.length);
        return decodeUtf8(buf);
    }

    /** nearcore's get_utf16_string: {@code len} in bytes; u64::MAX means NUL-terminated. */
    private String utf16String(Memory memory, long len, long ptr) {
        charge(utf16_decoding_base);
        long maxLen = MAX_TOTAL_LOG_LENGTH - totalLogLength;
        byte[] bytes;
        if (len != U64_MAX) {
            bytes = memoryGet(memory, ptr, len);
            if (len % 2 != 0) {
                throw new HostError(new HostError.BadUTF16());
            }
            if (len > maxLen) {
                throw totalLogLengthExceeded(len);
            }
        } else {
            java.io.ByteArrayOutputStream acc = new java.io.ByteArrayOutputStream();
            for (long i = 0; ; i++) {
                byte[] unit = memoryGet(memory, ptr + i * 2, 2);
                if (unit[0] == 0 && unit[1] == 0) {
                    break;
                }
                if (i == maxLen) {
                    throw totalLogLengthExceeded(totalLogLength + maxLen + 1);
                }
                acc.write(unit, 0, 2);
            }
            bytes = acc.toByteArray();
        }
        charge(utf16_decoding_byte, bytes.length);
        try {
            return StandardCharsets.UTF_16LE
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HostError(new HostError.BadUTF16());
        }
    }

    // ---- storage API ----

    public long storageWrite(Memory memory, long keyLen, long keyPtr, long valueLen, long valuePtr, long registerId) {
        charge(base);
        prohibitedInView("storage_write");
        charge(storage_write_base);
        byte[] key = memoryOrRegister(memory, keyPtr, keyLen);
        if (key.length > MAX_LENGTH_STORAGE_KEY) {
            throw new HostError(new HostError.KeyLengthExceeded(key.length, MAX_LENGTH_STORAGE_KEY));
        }
        byte[] value = memoryOrRegister(memory, valuePtr, valueLen);
        if (value.length > MAX_LENGTH_STORAGE_VALUE) {
            throw new HostError(new HostError.ValueLengthExceeded(value.length, MAX_LENGTH_STORAGE_VALUE));
        }
        charge(storage_write_key_byte, key.length);
        charge(storage_write_value_byte, value.length);
        byte[] evicted = state.put(key, value);
        chargeTrieNodes();
        if (evicted != null) {
            charge(storage_write_evicted_byte, evicted.length);
            storageUsage += (long) value.length - evicted.length;
            registerSet(registerId, evicted);
            return 1;
        }
        storageUsage += key.length + value.length + STORAGE_NUM_EXTRA_BYTES_RECORD;
        return 0;
    }

    public long storageRead(Memory memory, long keyLen, long keyPtr, long registerId) {
        charge(base);
        charge(storage_read_base);
        byte[] key = memoryOrRegister(memory, keyPtr, keyLen);
        if (key.length > MAX_LENGTH_STORAGE_KEY) {
            throw new HostError(new HostError.KeyLengthExceeded(key.length, MAX_LENGTH_STORAGE_KEY));
        }
        charge(storage_read_key_byte, key.length);
        byte[] value = state.get(key);
        chargeTrieNodes();
        if (value == null) {
            return 0;
        }
        charge(storage_read_value_byte, value.length);
        if (value.length > INLINE_DISK_VALUE_THRESHOLD) {
            charge(storage_large_read_overhead_base);
            charge(storage_large_read_overhead_byte, value.length);
        }
        registerSet(registerId, value);
        return 1;
    }

    public long storageRemove(Memory memory, long keyLen, long keyPtr, long registerId) {
        charge(base);
        prohibitedInView("storage_remove");
        charge(storage_remove_base);
        byte[] key = memoryOrRegister(memory, keyPtr, keyLen);
        if (key.length > MAX_LENGTH_STORAGE_KEY) {
            throw new HostError(new HostError.KeyLengthExceeded(key.length, MAX_LENGTH_STORAGE_KEY));
        }
        charge(storage_remove_key_byte, key.length);
        byte[] removed = state.remove(key);
        chargeTrieNodes();
        if (removed == null) {
            return 0;
        }
        charge(storage_remove_ret_value_byte, removed.length);
        storageUsage -= key.length + removed.length + STORAGE_NUM_EXTRA_BYTES_RECORD;
        registerSet(registerId, removed);
        return 1;
    }

    public long storageHasKey(Memory memory, long keyLen, long keyPtr) {
        charge(base);
        charge(storage_has_key_base);
        byte[] key = memoryOrRegister(memory, keyPtr, keyLen);
        if (key.length > MAX_LENGTH_STORAGE_KEY) {
            throw new HostError(new HostError.KeyLengthExceeded(key.length, MAX_LENGTH_STORAGE_KEY));
        }
        charge(storage_has_key_byte, key.length);
        boolean found = state.get(key) != null;
        chargeTrieNodes();
        return found ? 1 : 0;
    }

    // ---- validator API: this chain has no validators, so every stake is zero ----

    public void validatorStake(Memory memory, long accountIdLen, long accountIdPtr, long stakePtr) {
        charge(base);
        accountId(memory, accountIdLen, accountIdPtr);
        charge(validator_stake_base);
        writeU128(memory, stakePtr, BigInteger.ZERO);
    }

    public void validatorTotalStake(Memory memory, long stakePtr) {
        charge(base);
        charge(validator_total_stake_base);
        writeU128(memory, stakePtr, BigInteger.ZERO);
    }

    // ---- promises API: recorded in the outcome, never executed here ----

    /**
     * nearcore's read_and_parse_account_id: the bytes (memory or register), then
     * {@code utf8_decoding_base + utf8_decoding_byte * len}, then BadUTF8 or InvalidAccountId.
     */
    private String accountId(Memory memory, long len, long ptr) {
        byte[] raw = memoryOrRegister(memory, ptr, len);
        charge(utf8_decoding_base);
        charge(utf8_decoding_byte, raw.length);
        String id = decodeUtf8(raw);
        if (!AccountIds.isValid(id)) {
            throw new HostError(new HostError.InvalidAccountId());
        }
        return id;
    }

    private static String decodeUtf8(byte[] raw) {
        for (byte b : raw) {
            if (b < 0) {
                return decodeMultiByteUtf8(raw);
            }
        }
        // ASCII, as most strings a contract passes: no decoder to build on every call.
        return new String(raw, StandardCharsets.US_ASCII);
    }

    private static String decodeMultiByteUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HostError(new HostError.BadUTF8());
        }
    }

    /** A method name as nearcore's receipt manager takes it: bytes that are not UTF-8 are InvalidMethodName. */
    private static String methodName(byte[] raw) {
        try {
            return decodeUtf8(raw);
        } catch (HostError e) {
            throw new HostError(new HostError.InvalidMethodName());
        }
    }

    /**
     * A function call's deposit as nearcore's promise_batch_action_function_call_weight and
     * promise_yield_create_with_id since protocol 85's {@code one_yocto_on_promise}: exactly 1 yocto
     * attached while the balance (deposit included) is zero is subsidised, the balance stays zero and
     * the receipt still carries it (nearcore counts it as subsidized_amount, minted); a transfer has no
     * such exemption.
     */
    private void deductFunctionCallDeposit(BigInteger amount) {
        if (amount.equals(BigInteger.ONE) && balance.signum() == 0) {
            return;
        }
        deduct(amount);
    }

    private void deduct(BigInteger amount) {
        if (balance.compareTo(amount) < 0) {
            throw new HostError(new HostError.BalanceExceeded());
        }
        balance = balance.subtract(amount);
    }

    /** nearcore's pay_action_base: the send fee is burnt now, the execution fee prepaid for the receiver. */
    private void payAction(long sendFee, long execFee) {
        gas.charge(sendFee);
        gas.prepay(execFee);
    }

    private void payActionFees(PromiseLog.NewReceipt target, Action action) {
        boolean sir = sir(target);
        payAction(Fee.sendFee(action, sir, target.receiverId()), Fee.execFee(action, target.receiverId()));
    }

    /** A function call's fees for {@code bytes} of method name and arguments. */
    private void payFunctionCall(PromiseLog.NewReceipt target, long bytes) {
        boolean sir = sir(target);
        payAction(Fee.functionCallSendFee(sir, bytes), Fee.functionCallExecFee(bytes));
    }

    /** Sender is receiver: the receipt goes to the account whose call creates it. */
    private boolean sir(PromiseLog.NewReceipt target) {
        return target.receiverId().equals(context.currentAccountId());
    }

    /** nearcore's pay_gas_for_new_receipt for a receipt waiting on earlier receipts of this call. */
    private void payNewReceipt(String receiverId, int[] dependencies) {
        boolean[] dependencySir = new boolean[dependencies.length];
        for (int i = 0; i < dependencies.length; i++) {
            dependencySir[i] = promises.receipt(dependencies[i]).receiverId().equals(receiverId);
        }
        payNewReceipt(receiverId.equals(context.currentAccountId()), dependencySir);
    }

    /**
     * nearcore's pay_gas_for_new_receipt: the receipt's send fee is burnt and its execution fee
     * prepaid; each data dependency's base fee is burnt whole, send and execution ("both creation
     * and execution for data receipts are considered burnt gas").
     */
    private void payNewReceipt(boolean sir, boolean[] dependencySir) {
        long burn = Fee.action_receipt_creation.send(sir);
        for (boolean depSir : dependencySir) {
            burn = Fee.plus(
                    burn,
                    Fee.plus(Fee.data_receipt_creation_base.send(depSir), Fee.data_receipt_creation_base.execution));
        }
        payAction(burn, Fee.action_receipt_creation.execution);
    }

    private void addAction(long promiseIndex, Action action) {
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        payActionFees(target, action);
        target.actions().add(action);
    }

    public long promiseCreate(
            Memory memory,
            long accountIdLen,
            long accountIdPtr,
            long methodLen,
            long methodPtr,
            long argsLen,
            long argsPtr,
            long amountPtr,
            long gasAttached) {
        long index = promiseBatchCreate(memory, accountIdLen, accountIdPtr);
        promiseBatchActionFunctionCallWeight(
                memory, index, methodLen, methodPtr, argsLen, argsPtr, amountPtr, gasAttached, 0);
        return index;
    }

    public long promiseThen(
            Memory memory,
            long promiseIndex,
            long accountIdLen,
            long accountIdPtr,
            long methodLen,
            long methodPtr,
            long argsLen,
            long argsPtr,
            long amountPtr,
            long gasAttached) {
        long index = promiseBatchThen(memory, promiseIndex, accountIdLen, accountIdPtr);
        promiseBatchActionFunctionCallWeight(
                memory, index, methodLen, methodPtr, argsLen, argsPtr, amountPtr, gasAttached, 0);
        return index;
    }

    public long promiseAnd(Memory memory, long promiseIdxPtr, long promiseIdxCount) {
        charge(base);
        prohibitedInView("promise_and");
        charge(promise_and_base);
        // nearcore charges promise_and_per_promise per byte of the index array (8 per promise).
        if (promiseIdxCount < 0 || promiseIdxCount > Long.MAX_VALUE / 8) {
            throw new HostError(new HostError.IntegerOverflow());
        }
        charge(promise_and_per_promise, promiseIdxCount * 8);
        if (promiseIdxCount > MAX_PROMISES_PER_CALL) {
            throw new HostError(new HostError.NumberPromisesExceeded(promiseIdxCount, MAX_PROMISES_PER_CALL));
        }
        byte[] raw = memoryGet(memory, promiseIdxPtr, promiseIdxCount * 8);
        ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long[] joined = new long[(int) promiseIdxCount];
        for (int i = 0; i < joined.length; i++) {
            joined[i] = le.getLong();
        }
        return promises.and(joined);
    }

    public long promiseBatchCreate(Memory memory, long accountIdLen, long accountIdPtr) {
        charge(base);
        prohibitedInView("promise_batch_create");
        String receiver = accountId(memory, accountIdLen, accountIdPtr);
        payNewReceipt(receiver, new int[0]);
        return promises.newReceipt(receiver, new int[0], null);
    }

    public long promiseBatchThen(Memory memory, long promiseIndex, long accountIdLen, long accountIdPtr) {
        charge(base);
        prohibitedInView("promise_batch_then");
        String receiver = accountId(memory, accountIdLen, accountIdPtr);
        int[] dependencies = promises.receiptsOf(promiseIndex);
        if (dependencies.length > Fee.MAX_NUMBER_INPUT_DATA_DEPENDENCIES) {
            throw new HostError(new HostError.NumberInputDataDependenciesExceeded(
                    dependencies.length, Fee.MAX_NUMBER_INPUT_DATA_DEPENDENCIES));
        }
        payNewReceipt(receiver, dependencies);
        return promises.newReceipt(receiver, dependencies, null);
    }

    /**
     * nearcore's promise_set_refund_to (logic.rs): wasm_base, ProhibitedInView, the account id as
     * read_and_parse_account_id reads it, then the promise (InvalidPromiseIndex,
     * CannotSetRefundToOnJointPromise). No fee: the receipt carries refund_to in its ActionReceiptV2.
     */
    public void promiseSetRefundTo(Memory memory, long promiseIndex, long accountIdLen, long accountIdPtr) {
        charge(base);
        prohibitedInView("promise_set_refund_to");
        String refundTo = accountId(memory, accountIdLen, accountIdPtr);
        promises.setRefundTo(promiseIndex, refundTo);
    }

    public void promiseBatchActionCreateAccount(long promiseIndex) {
        charge(base);
        prohibitedInView("promise_batch_action_create_account");
        addAction(promiseIndex, new Action.CreateAccount());
    }

    public void promiseBatchActionDeployContract(Memory memory, long promiseIndex, long codeLen, long codePtr) {
        charge(base);
        prohibitedInView("promise_batch_action_deploy_contract");
        byte[] code = memoryOrRegister(memory, codePtr, codeLen);
        if (code.length > MAX_CONTRACT_SIZE) {
            throw new HostError(new HostError.ContractSizeExceeded(code.length, MAX_CONTRACT_SIZE));
        }
        addAction(promiseIndex, new Action.DeployContract(code));
    }

    /**
     * logic.rs promise_batch_action_deploy_global_contract(_by_account_id): as a deploy (the code, then
     * ContractSizeExceeded before the promise is looked up or a fee paid), with NEP-591's fees.
     */
    public void promiseBatchActionDeployGlobalContract(
            Memory memory, long promiseIndex, long codeLen, long codePtr, boolean byAccountId) {
        charge(base);
        prohibitedInView(
                byAccountId
                        ? "promise_batch_action_deploy_global_contract_by_account_id"
                        : "promise_batch_action_deploy_global_contract");
        byte[] code = memoryOrRegister(memory, codePtr, codeLen);
        if (code.length > MAX_CONTRACT_SIZE) {
            throw new HostError(new HostError.ContractSizeExceeded(code.length, MAX_CONTRACT_SIZE));
        }
        addAction(promiseIndex, new Action.DeployGlobalContract(code, byAccountId));
    }

    /**
     * logic.rs promise_batch_action_use_global_contract: the code hash (memory or register) must be 32
     * bytes (ContractCodeHashMalformed), read before the promise is looked up; fees per identifier byte.
     */
    public void promiseBatchActionUseGlobalContract(Memory memory, long promiseIndex, long hashLen, long hashPtr) {
        charge(base);
        prohibitedInView("promise_batch_action_use_global_contract");
        byte[] hash = memoryOrRegister(memory, hashPtr, hashLen);
        if (hash.length != 32) {
            throw new HostError(new HostError.ContractCodeHashMalformed());
        }
        addAction(promiseIndex, new Action.UseGlobalContract(GlobalContractId.byHash(hash)));
    }

    /** logic.rs promise_batch_action_use_global_contract_by_account_id: the account id as read_and_parse_account_id reads it. */
    public void promiseBatchActionUseGlobalContractByAccountId(
            Memory memory, long promiseIndex, long accountIdLen, long accountIdPtr) {
        charge(base);
        prohibitedInView("promise_batch_action_use_global_contract_by_account_id");
        String accountId = accountId(memory, accountIdLen, accountIdPtr);
        addAction(promiseIndex, new Action.UseGlobalContract(GlobalContractId.byAccount(accountId)));
    }

    /**
     * nearcore's promise_batch_action_state_init(_by_account_id) (logic.rs, NEP-616): wasm_base,
     * ProhibitedInView, the code (a 32-byte hash, ContractCodeHashMalformed, or an account id as
     * read_and_parse_account_id reads it), the u128 amount, then the promise; the action's base fee
     * (send burnt, execution prepaid), the amount from the balance (BalanceExceeded). Returns the
     * action's index in the receipt, what set_state_init_data_entry names.
     */
    public long promiseBatchActionStateInit(
            Memory memory, long promiseIndex, long codeLen, long codePtr, long amountPtr, boolean byAccountId) {
        charge(base);
        prohibitedInView(
                byAccountId ? "promise_batch_action_state_init_by_account_id" : "promise_batch_action_state_init");
        GlobalContractId code;
        if (byAccountId) {
            code = GlobalContractId.byAccount(accountId(memory, codeLen, codePtr));
        } else {
            byte[] hash = memoryOrRegister(memory, codePtr, codeLen);
            if (hash.length != 32) {
                throw new HostError(new HostError.ContractCodeHashMalformed());
            }
            code = GlobalContractId.byHash(hash);
        }
        BigInteger amount = readU128(memory, amountPtr);
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        boolean sir = sir(target);
        payAction(Fee.action_deterministic_state_init.send(sir), Fee.action_deterministic_state_init.execution);
        deduct(amount);
        target.actions().add(new Action.DeterministicStateInit(code, new java.util.TreeMap<>(), amount));
        return target.actions().size() - 1;
    }

    /**
     * nearcore's set_state_init_data_entry (logic.rs): wasm_base, ProhibitedInView, the promise, the
     * key and the value (memory or register), then the entry's fee and the per-byte fee for key and
     * value (send burnt, execution prepaid); the action must be a state init of that receipt
     * (InvalidActionIndex) without the key (DataEntryAlreadyExists).
     */
    public void setStateInitDataEntry(
            Memory memory,
            long promiseIndex,
            long actionIndex,
            long keyLen,
            long keyPtr,
            long valueLen,
            long valuePtr) {
        charge(base);
        prohibitedInView("set_state_init_data_entry");
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        byte[] key = memoryOrRegister(memory, keyPtr, keyLen);
        byte[] value = memoryOrRegister(memory, valuePtr, valueLen);
        boolean sir = sir(target);
        payAction(
                Fee.action_deterministic_state_init_per_entry.send(sir),
                Fee.action_deterministic_state_init_per_entry.execution);
        long bytes = (long) key.length + value.length;
        payAction(
                Fee.times(Fee.action_deterministic_state_init_per_byte.send(sir), bytes),
                Fee.times(Fee.action_deterministic_state_init_per_byte.execution, bytes));
        List<Action> actions = target.actions();
        if (actionIndex < 0
                || actionIndex >= actions.size()
                || !(actions.get((int) actionIndex) instanceof Action.DeterministicStateInit init)) {
            throw new HostError(new HostError.Newer(
                    "InvalidActionIndex",
                    "action " + Long.toUnsignedString(actionIndex) + " of the promise is no DeterministicStateInit"));
        }
        Action.DeterministicStateInit more = init.withEntry(key, value);
        if (more == null) {
            throw new HostError(new HostError.Newer("DataEntryAlreadyExists", "the state init already has this key"));
        }
        actions.set((int) actionIndex, more);
    }

    public void promiseBatchActionFunctionCall(
            Memory memory,
            long promiseIndex,
            long methodLen,
            long methodPtr,
            long argsLen,
            long argsPtr,
            long amountPtr,
            long gasAttached) {
        promiseBatchActionFunctionCallWeight(
                memory, promiseIndex, methodLen, methodPtr, argsLen, argsPtr, amountPtr, gasAttached, 0);
    }

    public void promiseBatchActionFunctionCallWeight(
            Memory memory,
            long promiseIndex,
            long methodLen,
            long methodPtr,
            long argsLen,
            long argsPtr,
            long amountPtr,
            long gasAttached,
            long weight) {
        charge(base);
        prohibitedInView("promise_batch_action_function_call");
        BigInteger amount = readU128(memory, amountPtr);
        byte[] method = memoryOrRegister(memory, methodPtr, methodLen);
        if (method.length == 0) {
            throw new HostError(new HostError.EmptyMethodName());
        }
        byte[] args = memoryOrRegister(memory, argsPtr, argsLen);
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        payFunctionCall(target, (long) method.length + args.length);
        gas.prepay(gasAttached);
        deductFunctionCallDeposit(amount);
        target.actions().add(new Action.FunctionCall(methodName(method), args, gasAttached, amount, weight));
    }

    public void promiseBatchActionTransfer(Memory memory, long promiseIndex, long amountPtr) {
        charge(base);
        prohibitedInView("promise_batch_action_transfer");
        BigInteger amount = readU128(memory, amountPtr);
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        Action.Transfer transfer = new Action.Transfer(amount);
        payActionFees(target, transfer);
        deduct(amount);
        target.actions().add(transfer);
    }

    public void promiseBatchActionStake(Memory memory, long promiseIndex, long amountPtr, long pkLen, long pkPtr) {
        charge(base);
        prohibitedInView("promise_batch_action_stake");
        BigInteger amount = readU128(memory, amountPtr);
        byte[] key = memoryOrRegister(memory, pkPtr, pkLen);
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        payAction(Fee.action_stake.send(sir(target)), Fee.action_stake.execution);
        target.actions().add(new Action.Stake(amount, publicKey(key)));
    }

    public void promiseBatchActionAddKeyWithFullAccess(
            Memory memory, long promiseIndex, long pkLen, long pkPtr, long nonce) {
        charge(base);
        prohibitedInView("promise_batch_action_add_key_with_full_access");
        byte[] key = memoryOrRegister(memory, pkPtr, pkLen);
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        payAction(Fee.action_add_full_access_key.send(sir(target)), Fee.action_add_full_access_key.execution);
        target.actions().add(new Action.AddKey(publicKey(key), AccessKey.fullAccess(nonce)));
    }

    public void promiseBatchActionAddKeyWithFunctionCall(
            Memory memory,
            long promiseIndex,
            long pkLen,
            long pkPtr,
            long nonce,
            long allowancePtr,
            long receiverLen,
            long receiverPtr,
            long methodsLen,
            long methodsPtr) {
        charge(base);
        prohibitedInView("promise_batch_action_add_key_with_function_call");
        byte[] key = memoryOrRegister(memory, pkPtr, pkLen);
        BigInteger allowance = readU128(memory, allowancePtr);
        String receiver = accountId(memory, receiverLen, receiverPtr);
        List<byte[]> rawNames = splitMethodNames(memoryOrRegister(memory, methodsPtr, methodsLen));
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        long bytes = 0;
        for (byte[] name : rawNames) {
            bytes += name.length + 1; // nearcore counts a terminating byte per name
        }
        boolean sir = sir(target);
        payAction(Fee.addFunctionCallKeySendFee(sir, bytes), Fee.addFunctionCallKeyExecFee(bytes));
        List<String> names = new ArrayList<>(rawNames.size());
        for (byte[] name : rawNames) {
            names.add(methodName(name));
        }
        AccessKey access = new AccessKey(
                nonce,
                new AccessKey.FunctionCallPermission(allowance.signum() == 0 ? null : allowance, receiver, names));
        target.actions().add(new Action.AddKey(publicKey(key), access));
    }

    /**
     * nearcore's promise_batch_action_transfer_to_gas_key (protocol 85, gas_key_host_fns; logic.rs):
     * base, the public key (decoded only at the end: InvalidPublicKey after the fees), the u128 amount,
     * the promise; the gas_key_transfer fees (send burnt, execution prepaid) and gas_key_byte per byte
     * of the key sent and of the access key's trie key and the smallest gas key executed; the amount
     * from the balance (BalanceExceeded, no one-yocto exemption).
     */
    public void promiseBatchActionTransferToGasKey(
            Memory memory, long promiseIndex, long pkLen, long pkPtr, long amountPtr) {
        charge(base);
        prohibitedInView("promise_batch_action_transfer_to_gas_key");
        byte[] key = memoryOrRegister(memory, pkPtr, pkLen);
        BigInteger amount = readU128(memory, amountPtr);
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        boolean sir = sir(target);
        payAction(
                Fee.gasKeyTransferSendFee(sir, key.length), Fee.gasKeyTransferExecFee(target.receiverId(), key.length));
        deduct(amount);
        target.actions().add(new Action.TransferToGasKey(publicKey(key), amount));
    }

    /**
     * nearcore's promise_batch_action_add_gas_key_with_full_access: base, the public key, the slot count
     * (a u16: IntegerOverflow past it), the promise; add_full_access_key's fees, then the gas key's:
     * gas_key_byte per GasKeyInfo byte sent, per slot gas_key_nonce_write_base and gas_key_byte for
     * its trie record executed (cost.rs gas_key_add_key_exec_fee). 0 or over 1,024 slots fail the call
     * as the new receipt's ActionsValidation.
     */
    public void promiseBatchActionAddGasKeyWithFullAccess(
            Memory memory, long promiseIndex, long pkLen, long pkPtr, long numNonces) {
        charge(base);
        prohibitedInView("promise_batch_action_add_gas_key_with_full_access");
        byte[] key = memoryOrRegister(memory, pkPtr, pkLen);
        int slots = nonceCount(numNonces);
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        boolean sir = sir(target);
        payAction(Fee.action_add_full_access_key.send(sir), Fee.action_add_full_access_key.execution);
        payGasKeyFees(target, sir, key.length, slots);
        AccessKey gasKey =
                new AccessKey(0, new AccessKey.GasKeyFullAccess(new AccessKey.GasKeyInfo(BigInteger.ZERO, slots)));
        target.actions().add(new Action.AddKey(publicKey(key), gasKey));
    }

    /**
     * nearcore's promise_batch_action_add_gas_key_with_function_call: as
     * promise_batch_action_add_key_with_function_call (allowance, receiver, method names and their
     * fees), with a slot count instead of a nonce and the gas key's fees after the key's. A non-zero
     * allowance fails the call as the new receipt's GasKeyFunctionCallAllowanceNotAllowed.
     */
    public void promiseBatchActionAddGasKeyWithFunctionCall(
            Memory memory,
            long promiseIndex,
            long pkLen,
            long pkPtr,
            long numNonces,
            long allowancePtr,
            long receiverLen,
            long receiverPtr,
            long methodsLen,
            long methodsPtr) {
        charge(base);
        prohibitedInView("promise_batch_action_add_gas_key_with_function_call");
        byte[] key = memoryOrRegister(memory, pkPtr, pkLen);
        int slots = nonceCount(numNonces);
        BigInteger allowance = readU128(memory, allowancePtr);
        String receiver = accountId(memory, receiverLen, receiverPtr);
        List<byte[]> rawNames = splitMethodNames(memoryOrRegister(memory, methodsPtr, methodsLen));
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        long bytes = 0;
        for (byte[] name : rawNames) {
            bytes += name.length + 1; // nearcore counts a terminating byte per name
        }
        boolean sir = sir(target);
        payAction(Fee.addFunctionCallKeySendFee(sir, bytes), Fee.addFunctionCallKeyExecFee(bytes));
        payGasKeyFees(target, sir, key.length, slots);
        List<String> names = new ArrayList<>(rawNames.size());
        for (byte[] name : rawNames) {
            names.add(methodName(name));
        }
        AccessKey gasKey = new AccessKey(
                0,
                new AccessKey.GasKeyFunctionCall(
                        new AccessKey.GasKeyInfo(BigInteger.ZERO, slots),
                        new AccessKey.FunctionCallPermission(
                                allowance.signum() == 0 ? null : allowance, receiver, names)));
        target.actions().add(new Action.AddKey(publicKey(key), gasKey));
    }

    /** A gas key's slot count, a u16 in nearcore (NonceIndex): IntegerOverflow past it. */
    private static int nonceCount(long numNonces) {
        if (numNonces < 0 || numNonces > 0xFFFF) {
            throw new HostError(new HostError.IntegerOverflow());
        }
        return (int) numNonces;
    }

    /** cost.rs gas_key_add_key_send_fee / _exec_fee: GasKeyInfo's bytes sent, each slot's record written. */
    private void payGasKeyFees(PromiseLog.NewReceipt target, boolean sir, long publicKeyLength, int slots) {
        payAction(
                Fee.times(Fee.action_gas_key_byte.send(sir), Fee.GAS_KEY_INFO_BORSH_LEN),
                Fee.gasKeyNoncesExecFee(target.receiverId(), publicKeyLength, slots));
    }

    public void promiseBatchActionDeleteKey(Memory memory, long promiseIndex, long pkLen, long pkPtr) {
        charge(base);
        prohibitedInView("promise_batch_action_delete_key");
        byte[] key = memoryOrRegister(memory, pkPtr, pkLen);
        PromiseLog.NewReceipt target = promises.actionTarget(promiseIndex);
        payAction(Fee.action_delete_key.send(sir(target)), Fee.action_delete_key.execution);
        target.actions().add(new Action.DeleteKey(publicKey(key)));
    }

    public void promiseBatchActionDeleteAccount(
            Memory memory, long promiseIndex, long beneficiaryLen, long beneficiaryPtr) {
        charge(base);
        prohibitedInView("promise_batch_action_delete_account");
        String beneficiary = accountId(memory, beneficiaryLen, beneficiaryPtr);
        addAction(promiseIndex, new Action.DeleteAccount(beneficiary));
    }

    /** nearcore's split_method_names: comma-separated, none empty (EmptyMethodName); none at all for no bytes. */
    private static List<byte[]> splitMethodNames(byte[] raw) {
        List<byte[]> names = new ArrayList<>();
        if (raw.length == 0) {
            return names;
        }
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == ',') {
                if (i == start) {
                    throw new HostError(new HostError.EmptyMethodName());
                }
                names.add(java.util.Arrays.copyOfRange(raw, start, i));
                start = i + 1;
            }
        }
        return names;
    }

    /**
     * A Borsh public key, decoded once its action's fee is paid: nearcore's PublicKeyBuffer reads
     * the bytes first but reports InvalidPublicKey only after the fee.
     */
    private static PublicKey publicKey(byte[] borsh) {
        PublicKey key = PublicKey.fromBorsh(borsh);
        if (key == null) {
            throw new HostError(new HostError.InvalidPublicKey());
        }
        return key;
    }

    /** How many receipts' results this call (a callback) received. */
    public long promiseResultsCount() {
        charge(base);
        prohibitedInView("promise_results_count");
        return receipt.promiseResults().size();
    }

    /** 1 and the value in the register for a success, 2 for a failure (nearcore's PromiseResult). */
    public long promiseResult(long resultIdx, long registerId) {
        charge(base);
        prohibitedInView("promise_result");
        List<ReceiptContext.PromiseResult> results = receipt.promiseResults();
        if (resultIdx < 0 || resultIdx >= results.size()) {
            throw new HostError(new HostError.InvalidPromiseResultIndex(resultIdx));
        }
        ReceiptContext.PromiseResult result = results.get((int) resultIdx);
        if (!result.success()) {
            return 2;
        }
        registerSetShared(registerId, result.value());
        return 1;
    }

    public void promiseReturn(long promiseIndex) {
        charge(base);
        prohibitedInView("promise_return");
        charge(promise_return);
        promises.returned(promiseIndex);
    }

    /**
     * nearcore's promise_yield_create: a receipt to this account that runs {@code method} once
     * resumed with a payload, or with a failed result after the yield timeout; its data id goes
     * to the register.
     */
    public long promiseYieldCreate(
            Memory memory,
            long methodLen,
            long methodPtr,
            long argsLen,
            long argsPtr,
            long gasAttached,
            long weight,
            long registerId) {
        charge(base);
        prohibitedInView("promise_yield_create");
        charge(yield_create_base);
        byte[] method = memoryOrRegister(memory, methodPtr, methodLen);
        if (method.length == 0) {
            throw new HostError(new HostError.EmptyMethodName());
        }
        byte[] args = memoryOrRegister(memory, argsPtr, argsLen);
        long bytes = (long) method.length + args.length;
        charge(yield_create_byte, bytes);
        gas.prepay(gasAttached);
        // A receipt to this account with one data dependency (the resume), itself to this account.
        payNewReceipt(true, new boolean[] {true});
        String self = context.currentAccountId();
        byte[] dataId = yieldDataId();
        long index = promises.newReceipt(self, new int[0], dataId);
        PromiseLog.NewReceipt target = promises.actionTarget(index);
        payFunctionCall(target, bytes);
        target.actions().add(new Action.FunctionCall(methodName(method), args, gasAttached, BigInteger.ZERO, weight));
        registerSet(registerId, dataId.clone());
        return index;
    }

    /** ext.rs create_promise_yield_receipt: the yield's data id is the call's next one. */
    private byte[] yieldDataId() {
        return promises.newDataId();
    }

    /** nearcore's promise_yield_resume: 1 when a yield of this account waits on the data id, else 0. */
    public long promiseYieldResume(Memory memory, long dataIdLen, long dataIdPtr, long payloadLen, long payloadPtr) {
        charge(base);
        prohibitedInView("promise_yield_resume");
        charge(yield_resume_base);
        // nearcore pays payload_len as given, before reading: u64::MAX (a register) is IntegerOverflow.
        chargeElements(yield_resume_byte, payloadLen);
        byte[] dataId = memoryOrRegister(memory, dataIdPtr, dataIdLen);
        byte[] payload = memoryOrRegister(memory, payloadPtr, payloadLen);
        if (payload.length > Fee.MAX_YIELD_PAYLOAD_SIZE) {
            throw new HostError(new HostError.YieldPayloadLength(payload.length, Fee.MAX_YIELD_PAYLOAD_SIZE));
        }
        if (dataId.length != 32) {
            throw new HostError(new HostError.DataIdMalformed());
        }
        return resumeYield(dataId, payload);
    }

    /**
     * nearcore's promise_yield_create_with_id (protocol 85, {@code yield_with_id_host_fns}): as
     * promise_yield_create, but the yield is named by a 32-byte id of the contract's choosing and
     * no data id is written; its function call may carry a deposit. While a yield of this account
     * with that id waits (from its creating receipt until its resume or timeout arrives, in this
     * call too), returns u64::MAX having paid no receipt fee. Costs as logic.rs: wasm_base,
     * yield_create_with_id_base (no yield_create_base), the u128 amount read before the method
     * name, YieldIdMalformed before yield_create_byte.
     */
    public long promiseYieldCreateWithId(
            Memory memory,
            long methodLen,
            long methodPtr,
            long argsLen,
            long argsPtr,
            long amountPtr,
            long gasAttached,
            long weight,
            long yieldIdLen,
            long yieldIdPtr) {
        charge(base);
        prohibitedInView("promise_yield_create_with_id");
        charge(yield_create_with_id_base);
        BigInteger amount = readU128(memory, amountPtr);
        byte[] method = memoryOrRegister(memory, methodPtr, methodLen);
        if (method.length == 0) {
            throw new HostError(new HostError.EmptyMethodName());
        }
        byte[] args = memoryOrRegister(memory, argsPtr, argsLen);
        byte[] yieldId = yieldId(memoryOrRegister(memory, yieldIdPtr, yieldIdLen));
        long bytes = (long) method.length + args.length;
        charge(yield_create_byte, bytes);
        if (yieldDataIdOf(yieldId) != null) {
            return U64_MAX;
        }
        gas.prepay(gasAttached);
        payNewReceipt(true, new boolean[] {true});
        long index = promises.newReceipt(context.currentAccountId(), new int[0], yieldDataId(), yieldId);
        PromiseLog.NewReceipt target = promises.actionTarget(index);
        payFunctionCall(target, bytes);
        deductFunctionCallDeposit(amount);
        target.actions().add(new Action.FunctionCall(methodName(method), args, gasAttached, amount, weight));
        return index;
    }

    /**
     * nearcore's promise_yield_resume_with_yield_id: promise_yield_resume for the yield this account
     * created under {@code yieldId}; 1 when it waits, else 0. Same costs as promise_yield_resume.
     */
    public long promiseYieldResumeWithYieldId(
            Memory memory, long yieldIdLen, long yieldIdPtr, long payloadLen, long payloadPtr) {
        charge(base);
        prohibitedInView("promise_yield_resume_with_yield_id");
        charge(yield_resume_base);
        chargeElements(yield_resume_byte, payloadLen);
        byte[] rawId = memoryOrRegister(memory, yieldIdPtr, yieldIdLen);
        byte[] payload = memoryOrRegister(memory, payloadPtr, payloadLen);
        if (payload.length > Fee.MAX_YIELD_PAYLOAD_SIZE) {
            throw new HostError(new HostError.YieldPayloadLength(payload.length, Fee.MAX_YIELD_PAYLOAD_SIZE));
        }
        byte[] dataId = yieldDataIdOf(yieldId(rawId));
        return dataId == null ? 0 : resumeYield(dataId, payload);
    }

    private static byte[] yieldId(byte[] bytes) {
        if (bytes.length != 32) {
            throw new HostError(new HostError.YieldIdMalformed());
        }
        return bytes;
    }

    /** The data id of this account's yield named {@code yieldId}: created by this call or waiting in the engine. */
    private byte[] yieldDataIdOf(byte[] yieldId) {
        byte[] mine = promises.yieldDataIdOf(yieldId);
        return mine != null ? mine : receipt.yields().dataIdOf(context.currentAccountId(), yieldId);
    }

    /**
     * Resumes the yield waiting on {@code dataId} if it waits: nearcore's submit_promise_resume_data
     * finds one this call created (its receipt manager) or one in state whose status is still
     * Yielded, so a second resume of the same yield in one call returns 0.
     */
    private long resumeYield(byte[] dataId, byte[] payload) {
        if (promises.resumed(dataId)) {
            return 0;
        }
        if (!promises.createdYield(dataId) && !receipt.yields().waiting(context.currentAccountId(), dataId)) {
            return 0;
        }
        promises.resume(dataId, payload);
        return 1;
    }

    /**
     * nearcore's compute_outcome: once the method returned, the gas it left unused goes to the
     * function calls it created in proportion to their gas weights.
     */
    void distributeUnusedGas() {
        long totalWeight = 0;
        for (PromiseLog.NewReceipt r : promises.receipts()) {
            for (Action a : r.actions()) {
                if (a instanceof Action.FunctionCall f && f.gasWeight() > 0) {
                    totalWeight = Fee.plus(totalWeight, f.gasWeight());
                }
            }
        }
        long unused = gas.limit() - gas.used();
        if (totalWeight == 0 || unused <= 0) {
            return;
        }
        long distributed = 0;
        PromiseLog.NewReceipt lastReceipt = null;
        int lastIndex = -1;
        for (PromiseLog.NewReceipt r : promises.receipts()) {
            List<Action> actions = r.actions();
            for (int i = 0; i < actions.size(); i++) {
                if (actions.get(i) instanceof Action.FunctionCall f && f.gasWeight() > 0) {
                    long share = BigInteger.valueOf(unused)
                            .multiply(BigInteger.valueOf(f.gasWeight()))
                            .divide(BigInteger.valueOf(totalWeight))
                            .longValueExact();
                    actions.set(i, f.withGas(Fee.plus(f.gas(), share)));
                    distributed += share;
                    lastReceipt = r;
                    lastIndex = i;
                }
            }
        }
        // The rounding remainder goes to the last weighted call, as nearcore does.
        Action.FunctionCall last = (Action.FunctionCall) lastReceipt.actions().get(lastIndex);
        lastReceipt.actions().set(lastIndex, last.withGas(Fee.plus(last.gas(), unused - distributed)));
        gas.prepay(unused);
    }

    /** nearcore removed the iterator API: every storage_iter_* call fails with HostError::Deprecated. */
    public long storageIterDeprecated(String name) {
        throw new HostError(new HostError.Deprecated(name));
    }

    /** JDK 17's Ed25519 (RFC 8032), as nearcore's ed25519-dalek verify_strict for well-formed input. */
    static final class Ed25519 {
        private Ed25519() {}

        static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
            try {
                byte[] y = publicKey.clone();
                boolean xOdd = (y[31] & 0x80) != 0;
                y[31] &= 0x7F;
                byte[] be = new byte[32];
                for (int i = 0; i < 32; i++) {
                    be[i] = y[31 - i];
                }
                EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, be));
                java.security.PublicKey key = KeyFactory.getInstance("Ed25519")
                        .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(message);
                return verifier.verify(signature);
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }
    }
}
