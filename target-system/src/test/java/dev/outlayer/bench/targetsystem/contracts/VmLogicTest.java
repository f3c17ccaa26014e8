package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.ExtCost.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.outlayer.bench.targetsystem.wasm.GasMeter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Host functions against nearcore's logic.rs semantics and gas, without wasm in between. */
class VmLogicTest {
    private static final long U64_MAX = -1L;
    private static final BigInteger DEPOSIT = BigInteger.ONE;

    private final Memory memory = new ByteArrayMemory(new MemoryLimits(1));
    private final GasMeter gas = new GasMeter(CallRequest.DEFAULT_GAS);
    private final TreeMap<Bytes, byte[]> committed = new TreeMap<>();
    private VmLogic logic = logic(false);

    private VmLogic logic(boolean view) {
        return logic(view, AccountContract.NONE);
    }

    private VmLogic logic(boolean view, AccountContract contract) {
        return logic(view, contract, ContractSimulator.DEFAULT_BALANCE, DEPOSIT);
    }

    private VmLogic logic(boolean view, AccountContract contract, BigInteger balance, BigInteger deposit) {
        CallContext context = new CallContext(
                "c.test.near",
                "signer.test.near",
                new byte[33],
                "pred.test.near",
                utf8("{\"x\":1}"),
                7,
                1_700_000_000_000_000_000L,
                3,
                balance,
                BigInteger.ZERO,
                deposit,
                CallRequest.DEFAULT_GAS,
                new byte[32],
                1000,
                view,
                contract,
                "refund.test.near");
        return new VmLogic(context, gas, new StateOverlay(committed));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] register(long id) {
        long len = logic.registerLen(id);
        logic.readRegister(memory, id, 4096);
        return memory.readBytes(4096, (int) len);
    }

    private long put(int at, String text) {
        memory.write(at, utf8(text));
        return text.length();
    }

    @Test
    void registersAreKeyedByU64WithU64MaxForUnset() {
        long nearSdkRegister = U64_MAX - 1; // near-sdk uses ids next to u64::MAX
        assertThat(logic.registerLen(nearSdkRegister)).isEqualTo(U64_MAX);
        long len = put(0, "hello");
        logic.writeRegister(memory, nearSdkRegister, len, 0);
        assertThat(logic.registerLen(nearSdkRegister)).isEqualTo(5);
        assertThat(register(nearSdkRegister)).isEqualTo(utf8("hello"));
        assertThatThrownBy(() -> logic.readRegister(memory, 42, 0))
                .isInstanceOf(HostError.class)
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("InvalidRegisterId");
        // len == u64::MAX means "the data is in register ptr".
        logic.sha256(memory, U64_MAX, nearSdkRegister, 1);
        assertThat(HexFormat.of().formatHex(register(1)))
                .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    }

    @Test
    void registersFollowNearcoresLimitsIncludingItsReplacementBug() {
        // nearcore vmstate.rs Registers::check_set_register: each register counts its length plus
        // 8 (size_of::<u64>()) against registers_memory_limit; and once max_number_registers (100)
        // exist no register may be set, not even one that exists ("This bug is now part of the protocol").
        long len = put(0, "hello");
        logic.writeRegister(memory, 7, len, 0);
        logic.writeRegister(memory, 8, 3, 0);
        assertThat(logic.registersMemoryUsage()).isEqualTo((5 + 8) + (3 + 8));
        logic.writeRegister(memory, 7, 0, 0);
        assertThat(logic.registersMemoryUsage())
                .as("a replaced register counts its new length")
                .isEqualTo(8 + (3 + 8));
        for (long id = 100; logic.registersMemoryUsage() < 100 * 8 + 3; id++) {
            logic.writeRegister(memory, id, 0, 0);
        }
        assertThat(logic.registersMemoryUsage()).isEqualTo(100 * 8 + 3);
        assertThatThrownBy(() -> logic.writeRegister(memory, 1000, 1, 0))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("MemoryAccessViolation"));
        assertThatThrownBy(() -> logic.writeRegister(memory, 7, 1, 0))
                .as("nor is an existing one replaced at 100")
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("MemoryAccessViolation"));
        assertThat(logic.registerLen(7)).isZero();
    }

    @Test
    void storageReturnCodesAndEvictedValues() {
        long k = put(0, "key");
        long v1 = put(16, "one");
        assertThat(logic.storageHasKey(memory, k, 0)).isZero();
        assertThat(logic.storageRead(memory, k, 0, 5)).isZero();
        assertThat(logic.registerLen(5)).isEqualTo(U64_MAX);
        assertThat(logic.storageWrite(memory, k, 0, v1, 16, 5)).isZero();
        assertThat(logic.registerLen(5))
                .as("nothing evicted, register untouched")
                .isEqualTo(U64_MAX);
        long v2 = put(32, "two!");
        assertThat(logic.storageWrite(memory, k, 0, v2, 32, 5)).isEqualTo(1);
        assertThat(register(5)).isEqualTo(utf8("one"));
        assertThat(logic.storageRead(memory, k, 0, 6)).isEqualTo(1);
        assertThat(register(6)).isEqualTo(utf8("two!"));
        assertThat(logic.storageHasKey(memory, k, 0)).isEqualTo(1);
        assertThat(logic.storageUsageNow()).isEqualTo(1000 + 3 + 4 + 40);
        assertThat(logic.storageRemove(memory, k, 0, 7)).isEqualTo(1);
        assertThat(register(7)).isEqualTo(utf8("two!"));
        assertThat(logic.storageRemove(memory, k, 0, 7)).isZero();
        assertThat(logic.storageUsageNow()).isEqualTo(1000);
        assertThat(committed).as("writes stay in the overlay until commit").isEmpty();
    }

    @Test
    void storageWriteChargesNearcoresCosts() {
        long k = put(0, "key");
        long v = put(16, "value");
        long before = gas.used();
        logic.storageWrite(memory, k, 0, v, 16, 0);
        long expected = base.gas
                + storage_write_base.gas
                + 2 * read_memory_base.gas
                + read_memory_byte.gas * (k + v)
                + storage_write_key_byte.gas * k
                + storage_write_value_byte.gas * v;
        assertThat(gas.used() - before).isEqualTo(expected);
        before = gas.used();
        logic.registerLen(0);
        assertThat(gas.used() - before).isEqualTo(base.gas);
    }

    @Test
    void u128ValuesAreLittleEndian() {
        logic.attachedDeposit(memory, 100);
        byte[] one = new byte[16];
        one[0] = 1;
        assertThat(memory.readBytes(100, 16)).isEqualTo(one);
        logic.accountBalance(memory, 200);
        byte[] le = memory.readBytes(200, 16);
        byte[] be = new byte[16];
        for (int i = 0; i < 16; i++) {
            be[i] = le[15 - i];
        }
        assertThat(new BigInteger(1, be)).isEqualTo(ContractSimulator.DEFAULT_BALANCE.add(DEPOSIT));
        assertThat(VmLogic.u128(BigInteger.TWO.pow(128).subtract(BigInteger.ONE)))
                .containsOnly((byte) 0xFF);
    }

    @Test
    void contextFunctions() {
        logic.currentAccountId(1);
        assertThat(register(1)).isEqualTo(utf8("c.test.near"));
        logic.predecessorAccountId(1);
        assertThat(register(1)).isEqualTo(utf8("pred.test.near"));
        logic.signerAccountId(1);
        assertThat(register(1)).isEqualTo(utf8("signer.test.near"));
        logic.input(1);
        assertThat(register(1)).isEqualTo(utf8("{\"x\":1}"));
        assertThat(logic.blockIndex()).isEqualTo(7);
        assertThat(logic.epochHeight()).isEqualTo(3);
        assertThat(logic.prepaidGas()).isEqualTo(CallRequest.DEFAULT_GAS);
        assertThat(logic.usedGas()).isEqualTo(gas.used());
        logic.randomSeed(1);
        assertThat(logic.registerLen(1)).isEqualTo(32);
    }

    @Test
    void inputAndPromiseResultsPayNoBytesForTheirRegister() {
        // nearcore logic.rs input and promise_result hand the register the host's own bytes
        // (vmstate.rs set_rc_data): write_register_base only, no write_register_byte
        // (deterministic_account_ids, protocol 82). Other registers pay per byte.
        long before = gas.burnt();
        logic.input(1);
        assertThat(gas.burnt() - before)
                .as("base 264,768,111 + write_register_base 2,865,522,486 for the 7-byte input")
                .isEqualTo(base.gas + write_register_base.gas)
                .isEqualTo(3_130_290_597L);
        assertThat(register(1)).isEqualTo(utf8("{\"x\":1}"));

        byte[] value = new byte[1000];
        logic = new VmLogic(
                TestContracts.callContext("c.test.near", CallRequest.DEFAULT_GAS),
                gas,
                new StateOverlay(committed),
                new ReceiptContext(
                        new byte[32],
                        java.util.List.of(ReceiptContext.PromiseResult.successful(value)),
                        java.util.List.of(),
                        (account, dataId) -> false));
        before = gas.burnt();
        assertThat(logic.promiseResult(0, 2)).isEqualTo(1);
        assertThat(gas.burnt() - before)
                .as("a 1,000-byte result: base + write_register_base, not 1,000 x 3,801,564")
                .isEqualTo(base.gas + write_register_base.gas);
        assertThat(logic.registerLen(2)).isEqualTo(1000);
        assertThat(logic.profile().gas(write_register_byte)).isZero();

        before = gas.burnt();
        logic.currentAccountId(3);
        assertThat(gas.burnt() - before)
                .as("current_account_id still pays its 11 bytes")
                .isEqualTo(base.gas + write_register_base.gas + 11 * write_register_byte.gas);
    }

    @Test
    void currentContractCodeTellsWhatTheAccountRunsAsNearcoresLogicRs() {
        // logic.rs current_contract_code: base, then 0 (register untouched), 1 or 2 with the 32-byte
        // hash, 3 with the deployer's id; write_register_base + write_register_byte per byte.
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) 7);
        logic.writeRegister(memory, 5, 0, 0);
        long before = gas.burnt();
        assertThat(logic.currentContractCode(5)).isZero();
        assertThat(gas.burnt() - before).isEqualTo(base.gas);
        assertThat(logic.registerLen(5))
                .as("no code: the register is not written")
                .isZero();

        logic = logic(false, new AccountContract(AccountContract.Kind.LOCAL, hash, null));
        before = gas.burnt();
        assertThat(logic.currentContractCode(5)).isEqualTo(1);
        assertThat(gas.burnt() - before)
                .as("base + write_register_base + 32 x write_register_byte = 3,251,940,645")
                .isEqualTo(base.gas + write_register_base.gas + 32 * write_register_byte.gas)
                .isEqualTo(3_251_940_645L);
        assertThat(register(5)).isEqualTo(hash);

        logic = logic(false, AccountContract.of(null, GlobalContractId.byHash(hash)));
        assertThat(logic.currentContractCode(5)).isEqualTo(2);
        assertThat(register(5)).isEqualTo(hash);

        logic = logic(true, AccountContract.of(null, GlobalContractId.byAccount("lib.test.near")));
        before = gas.burnt();
        assertThat(logic.currentContractCode(5))
                .as("allowed in a view, unlike predecessor_account_id")
                .isEqualTo(3);
        assertThat(gas.burnt() - before).isEqualTo(base.gas + write_register_base.gas + 13 * write_register_byte.gas);
        assertThat(register(5)).isEqualTo(utf8("lib.test.near"));

        for (int i = 0; i < 99; i++) {
            logic.writeRegister(memory, 100 + i, 0, 0);
        }
        assertThatThrownBy(() -> logic.currentContractCode(5))
                .as("registers full: nearcore's check_set_register refuses it")
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("MemoryAccessViolation"));
    }

    @Test
    void refundToCostsTheAccountIdsReadAndNoFee() {
        // logic.rs promise_set_refund_to: base, then read_and_parse_account_id; refund_to_account_id:
        // base + the register write. Neither pays an action fee.
        long len = put(0, "bob.test.near");
        long promise = logic.promiseBatchCreate(memory, len, 0);
        long burnt = gas.burnt();
        long used = gas.used();
        logic.promiseSetRefundTo(memory, promise, len, 0);
        assertThat(gas.burnt() - burnt)
                .as("base + read_memory 13 bytes + utf8_decoding 13 bytes")
                .isEqualTo(base.gas
                        + read_memory_base.gas
                        + 13 * read_memory_byte.gas
                        + utf8_decoding_base.gas
                        + 13 * utf8_decoding_byte.gas)
                .isEqualTo(9_826_373_928L);
        assertThat(gas.used() - used).isEqualTo(gas.burnt() - burnt);
        assertThat(logic.promises().receipts().get(0).refundTo()).isEqualTo("bob.test.near");

        burnt = gas.burnt();
        logic.refundToAccountId(1);
        assertThat(gas.burnt() - burnt).isEqualTo(base.gas + write_register_base.gas + 16 * write_register_byte.gas);
        assertThat(register(1)).isEqualTo(utf8("refund.test.near"));
        assertThatThrownBy(() -> logic(true).refundToAccountId(1))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("ProhibitedInView"));
        assertThatThrownBy(() -> logic(true).promiseSetRefundTo(memory, 0, len, 0))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("ProhibitedInView"));
    }

    private static String variant(Runnable call) {
        try {
            call.run();
        } catch (HostError e) {
            return e.variant();
        }
        throw new AssertionError("no HostError");
    }

    @Test
    void stateInitHostFunctionsPayNearcoresFeesAndRefuseWhatItRefuses() {
        // logic.rs promise_batch_action_state_init: base, the code hash and the u128 amount read, then
        // pay_action_base(deterministic_state_init_base): 3.85 Tgas burnt, 4.08 Tgas prepaid (parameters.yaml).
        long receiverLen = put(0, "0s1234567890123456789012345678901234567890");
        long promise = logic.promiseBatchCreate(memory, receiverLen, 0);
        memory.write(100, new byte[32]);
        memory.write(200, VmLogic.u128(BigInteger.valueOf(1000)));
        BigInteger balance = logic.balance();
        long burnt = gas.burnt();
        long used = gas.used();
        assertThat(logic.promiseBatchActionStateInit(memory, promise, 32, 100, 200, false))
                .as("the action's index in the receipt")
                .isZero();
        assertThat(gas.burnt() - burnt)
                .as("base + 2 reads (32 + 16 bytes) + 3,850,000,000,000")
                .isEqualTo(3_855_666_958_495L);
        assertThat(gas.used() - used).isEqualTo(3_855_666_958_495L + 4_080_000_000_000L);
        assertThat(logic.balance()).isEqualTo(balance.subtract(BigInteger.valueOf(1000)));

        // set_state_init_data_entry: base, key and value read, then the entry's fee (0 send, 0.2 Tgas
        // execution) and per byte of key and value (72,000,000 send, 70,000,000 execution).
        long keyLen = put(300, "count");
        memory.write(320, new byte[8]);
        burnt = gas.burnt();
        used = gas.used();
        logic.setStateInitDataEntry(memory, promise, 0, keyLen, 300, 8, 320);
        assertThat(gas.burnt() - burnt).isEqualTo(6_469_911_840L);
        assertThat(gas.used() - used).isEqualTo(207_379_911_840L);
        Action.DeterministicStateInit init = (Action.DeterministicStateInit)
                logic.promises().receipts().get(0).actions().get(0);
        assertThat(init.data()).containsOnlyKeys(Bytes.wrap(utf8("count")));
        assertThat(init.deposit()).isEqualTo(BigInteger.valueOf(1000));
        assertThat(init.code()).isEqualTo(GlobalContractId.byHash(new byte[32]));

        burnt = gas.burnt();
        assertThat(variant(() -> logic.setStateInitDataEntry(memory, promise, 0, keyLen, 300, 8, 320)))
                .isEqualTo("DataEntryAlreadyExists");
        assertThat(gas.burnt() - burnt)
                .as("refused after its fees, as nearcore's ext")
                .isEqualTo(6_469_911_840L);
        assertThat(variant(() -> logic.setStateInitDataEntry(memory, promise, 1, keyLen, 300, 8, 320)))
                .isEqualTo("InvalidActionIndex");
        assertThat(variant(() -> logic.promiseBatchActionStateInit(memory, promise, 31, 100, 200, false)))
                .isEqualTo("ContractCodeHashMalformed");
        long bad = put(400, "Not Valid");
        assertThat(variant(() -> logic.promiseBatchActionStateInit(memory, promise, bad, 400, 200, true)))
                .isEqualTo("InvalidAccountId");
        assertThat(variant(() -> logic.promiseBatchActionStateInit(memory, promise, 32, 100, 65530, false)))
                .as("the amount past the memory's end")
                .isEqualTo("MemoryAccessViolation");
        assertThat(variant(() -> logic.promiseBatchActionStateInit(memory, 7, 32, 100, 200, false)))
                .isEqualTo("InvalidPromiseIndex");
        memory.write(200, VmLogic.u128(BigInteger.TWO.pow(127)));
        assertThat(variant(() -> logic.promiseBatchActionStateInit(memory, promise, 32, 100, 200, false)))
                .isEqualTo("BalanceExceeded");
        memory.write(
                500,
                java.nio.ByteBuffer.allocate(8)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putLong(promise)
                        .array());
        long joint = logic.promiseAnd(memory, 500, 1);
        assertThat(variant(() -> logic.setStateInitDataEntry(memory, joint, 0, keyLen, 300, 8, 320)))
                .isEqualTo("CannotAppendActionToJointPromise");
        assertThat(variant(() -> logic(true).promiseBatchActionStateInit(memory, 0, 32, 100, 200, false)))
                .isEqualTo("ProhibitedInView");
        assertThat(variant(() -> logic(true).setStateInitDataEntry(memory, 0, 0, keyLen, 300, 8, 320)))
                .isEqualTo("ProhibitedInView");
    }

    @Test
    void hashesMatchKnownVectors() {
        long len = put(0, "abc");
        logic.sha256(memory, len, 0, 1);
        assertThat(HexFormat.of().formatHex(register(1)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        logic.keccak256(memory, 0, 0, 1);
        assertThat(HexFormat.of().formatHex(register(1)))
                .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        logic.keccak512(memory, 0, 0, 1);
        assertThat(HexFormat.of().formatHex(register(1))).startsWith("0eab42de4c3ceb9235fc91acffe746b29c29a8c3");
        logic.ripemd160(memory, 0, 0, 1);
        assertThat(HexFormat.of().formatHex(register(1))).isEqualTo("9c1185a5c5e9fc54612808977ee8f548b2258d31");
    }

    @Test
    void hashAndSignatureFunctionsChargeNoWasmBaseAsNearcore() {
        // nearcore logic.rs: sha256, keccak256, keccak512, ripemd160, ecrecover, ed25519_verify and
        // p256_verify start with pay_base(<fn>_base), never pay_base(base) (wasm_base 264,768,111).
        long len = put(0, "abc");
        long before = gas.burnt();
        logic.sha256(memory, len, 0, 1);
        assertThat(gas.burnt() - before)
                .as("sha256(\"abc\"): sha256_base + input read + 3 bytes hashed + 32-byte register")
                .isEqualTo(sha256_base.gas
                        + read_memory_base.gas
                        + 3 * read_memory_byte.gas
                        + 3 * sha256_byte.gas
                        + write_register_base.gas
                        + 32 * write_register_byte.gas);
        logic.keccak256(memory, len, 0, 1);
        logic.keccak512(memory, len, 0, 1);
        logic.ripemd160(memory, len, 0, 1);
        memory.write(100, new byte[64]);
        logic.ecrecover(memory, 32, 100, 64, 100, 0, 0, 2);
        logic.ed25519Verify(memory, 64, 100, len, 0, 32, 100);
        logic.p256Verify(memory, 64, 100, len, 0, 33, 100);
        assertThat(logic.profile().gas(base))
                .as("no host function above charged wasm_base")
                .isZero();
    }

    @Test
    void ed25519VerifiesRealSignatures() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] message = utf8("outlayer");
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(message);
        byte[] signature = signer.sign();
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] publicKey = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        memory.write(0, signature);
        memory.write(100, message);
        memory.write(200, publicKey);
        assertThat(logic.ed25519Verify(memory, 64, 0, message.length, 100, 32, 200))
                .isEqualTo(1);
        memory.write(100, utf8("Outlayer"));
        assertThat(logic.ed25519Verify(memory, 64, 0, message.length, 100, 32, 200))
                .isZero();
        assertThatThrownBy(() -> logic.ed25519Verify(memory, 63, 0, message.length, 100, 32, 200))
                .isInstanceOf(HostError.class)
                .hasMessageContaining("signature length");
    }

    @Test
    void ecrecoverFindsTheSigningKey() {
        var curve = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256k1");
        var domain =
                new org.bouncycastle.crypto.params.ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN());
        BigInteger secret = new BigInteger("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", 16);
        byte[] publicKey =
                Arrays.copyOfRange(curve.getG().multiply(secret).normalize().getEncoded(false), 1, 65);
        byte[] hash = new byte[32];
        hash[31] = 42;
        var signer =
                new org.bouncycastle.crypto.signers.ECDSASigner(new org.bouncycastle.crypto.signers.HMacDSAKCalculator(
                        new org.bouncycastle.crypto.digests.SHA256Digest()));
        signer.init(true, new org.bouncycastle.crypto.params.ECPrivateKeyParameters(secret, domain));
        BigInteger[] rs = signer.generateSignature(hash);
        BigInteger s =
                rs[1].compareTo(curve.getN().shiftRight(1)) > 0 ? curve.getN().subtract(rs[1]) : rs[1];
        byte[] signature = new byte[64];
        byte[] r32 = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, rs[0]);
        byte[] s32 = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, s);
        System.arraycopy(r32, 0, signature, 0, 32);
        System.arraycopy(s32, 0, signature, 32, 32);
        memory.write(0, hash);
        memory.write(64, signature);
        boolean found = false;
        for (long v = 0; v < 2; v++) {
            if (logic.ecrecover(memory, 32, 0, 64, 64, v, 1, 9) == 1 && Arrays.equals(register(9), publicKey)) {
                found = true;
            }
        }
        assertThat(found).as("one recovery id yields the signer's key").isTrue();
        // The malleable twin (n - s) is refused with the flag and accepted without it.
        byte[] high = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(
                32, curve.getN().subtract(s));
        memory.write(96, high);
        assertThat(logic.ecrecover(memory, 32, 0, 64, 64, 0, 1, 9)).isZero();
        assertThatThrownBy(() -> logic.ecrecover(memory, 32, 0, 64, 64, 4, 0, 9))
                .hasMessageContaining("V recovery byte");
        assertThatThrownBy(() -> logic.ecrecover(memory, 31, 0, 64, 64, 0, 0, 9))
                .hasMessageContaining("hash");
    }

    @Test
    void logsPanicsAndLimits() {
        long len = put(0, "héllo");
        logic.logUtf8(memory, utf8("héllo").length, 0);
        memory.write(64, new byte[] {'n', 'u', 'l', 0});
        logic.logUtf8(memory, U64_MAX, 64);
        memory.write(128, "hi".getBytes(StandardCharsets.UTF_16LE));
        logic.logUtf16(memory, 4, 128);
        assertThat(logic.logs()).containsExactly("héllo", "nul", "hi");
        memory.write(256, new byte[] {(byte) 0xC3, 0x28});
        assertThatThrownBy(() -> logic.logUtf8(memory, 2, 256)).hasMessageContaining("UTF-8");
        for (int i = logic.logs().size(); i < MAX_NUMBER_LOGS; i++) {
            logic.logUtf8(memory, 1, 0);
        }
        assertThatThrownBy(() -> logic.logUtf8(memory, 1, 0))
                .isInstanceOf(HostError.class)
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("NumberOfLogsExceeded");
        put(300, "boom");
        assertThatThrownBy(() -> logic.panicUtf8(memory, 4, 300)).hasMessage("Smart contract panicked: boom");
        assertThatThrownBy(() -> logic.panic()).hasMessage("Smart contract panicked: explicit guest panic");
        assertThat(len).isPositive();
    }

    @Test
    void assemblyScriptAbortLogsAndPanics() {
        memory.write(96, new byte[] {4, 0, 0, 0});
        memory.write(100, "hi".getBytes(StandardCharsets.UTF_16LE));
        memory.write(196, new byte[] {2, 0, 0, 0});
        memory.write(200, "a".getBytes(StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> logic.abort(memory, 100, 200, 3, 4))
                .hasMessage("Smart contract panicked: hi, filename: \"a\" line: 3 col: 4");
        assertThat(logic.logs()).containsExactly("ABORT: hi, filename: \"a\" line: 3 col: 4");
        assertThatThrownBy(() -> logic.abort(memory, 2, 200, 0, 0))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.kind()).isEqualTo(new HostError.BadUTF16()));
    }

    @Test
    void memoryOutsideTheInstanceIsAViolation() {
        assertThatThrownBy(() -> logic.valueReturn(memory, 16, 65_530))
                .isInstanceOf(HostError.class)
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("MemoryAccessViolation");
        assertThatThrownBy(() -> logic.writeRegister(memory, 1, U64_MAX - 5, 0)).isInstanceOf(HostError.class);
    }

    @Test
    void viewsMayNotWriteOrReadCallerContext() {
        logic = logic(true);
        long k = put(0, "key");
        assertThatThrownBy(() -> logic.storageWrite(memory, k, 0, k, 0, 0)).hasMessageContaining("storage_write");
        assertThatThrownBy(() -> logic.storageRemove(memory, k, 0, 0)).hasMessageContaining("storage_remove");
        assertThatThrownBy(() -> logic.predecessorAccountId(0)).hasMessageContaining("predecessor_account_id");
        assertThat(logic.storageRead(memory, k, 0, 0)).isZero();
    }

    @Test
    void storageKeysAreLimitedTo2048BytesAsSinceProtocol53() {
        assertThat(logic.storageWrite(memory, 2048, 0, 1, 0, 0)).isZero();
        assertThatThrownBy(() -> logic.storageWrite(memory, 2049, 0, 1, 0, 0))
                .isInstanceOf(HostError.class)
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("KeyLengthExceeded");
        assertThatThrownBy(() -> logic.storageRead(memory, 2049, 0, 0))
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("KeyLengthExceeded");
    }

    @Test
    void readsOfValuesOverTheInlineThresholdPayTheLargeReadOverhead() {
        committed.put(Bytes.wrap(utf8("small")), new byte[ExtCost.INLINE_DISK_VALUE_THRESHOLD]);
        committed.put(Bytes.wrap(utf8("large")), new byte[ExtCost.INLINE_DISK_VALUE_THRESHOLD + 1]);
        logic = logic(false);
        long k = put(0, "small");
        logic.storageRead(memory, k, 0, 0);
        assertThat(logic.profile().gas(ExtCost.storage_large_read_overhead_base))
                .isZero();
        k = put(0, "large");
        logic.storageRead(memory, k, 0, 0);
        assertThat(logic.profile().gas(ExtCost.storage_large_read_overhead_base))
                .isEqualTo(ExtCost.storage_large_read_overhead_base.gas);
        assertThat(logic.profile().gas(ExtCost.storage_large_read_overhead_byte))
                .isEqualTo(ExtCost.storage_large_read_overhead_byte.gas * (ExtCost.INLINE_DISK_VALUE_THRESHOLD + 1));
    }

    @Test
    void theIteratorApiIsDeprecated() {
        assertThatThrownBy(() -> logic.storageIterDeprecated("storage_iter_prefix"))
                .isInstanceOf(HostError.class)
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("Deprecated");
    }

    @Test
    void attachedDepositIsAllowedInViews() {
        logic = logic(true);
        logic.attachedDeposit(memory, 0);
        assertThat(memory.readBytes(0, 16)).isEqualTo(VmLogic.u128(DEPOSIT));
    }

    @Test
    void promisesBecomeReceiptsWithNearcoresFees() {
        long id = put(0, "bob.test.near");
        long before = gas.burnt();
        long index = logic.promiseBatchCreate(memory, id, 0);
        long receiptSend = gas.burnt() - before;
        memory.write(64, VmLogic.u128(BigInteger.TEN));
        logic.promiseBatchActionTransfer(memory, index, 64);
        long method = put(100, "ping");
        long usedBefore = gas.used();
        long burntBefore = gas.burnt();
        long then = logic.promiseThen(memory, index, id, 0, method, 100, 0, 0, 64, 5_000_000_000_000L);
        logic.promiseReturn(then);
        assertThat(logic.promises().receipts()).hasSize(2);
        assertThat(logic.promises().receipts().get(0).actions()).containsExactly(new Action.Transfer(BigInteger.TEN));
        assertThat(logic.promises().receipts().get(1).dependencies()).containsExactly(0);
        assertThat(logic.promises().returnedReceipt()).isEqualTo(1);
        assertThat(receiptSend)
                .as("base + action_receipt_creation send (not SIR) burnt")
                .isGreaterThanOrEqualTo(Fee.action_receipt_creation.sendNotSir);
        // The callback's prepaid part: attached gas + receipt and function call execution fees (its
        // data receipt's execution fee is burnt, see dataReceiptsOfDependenciesAreBurntWhole).
        long prepaid = (gas.used() - usedBefore) - (gas.burnt() - burntBefore);
        assertThat(prepaid)
                .isEqualTo(5_000_000_000_000L
                        + Fee.action_receipt_creation.execution
                        + Fee.action_function_call.execution
                        + 4 * Fee.action_function_call_per_byte.execution);
        assertThat(logic.promiseResultsCount()).isZero();
        assertThatThrownBy(() -> logic.promiseBatchCreate(memory, put(0, "Not Valid"), 0))
                .hasMessageContaining("invalid account id");
    }

    @Test
    void promiseActionsRefuseWhatNearcoresHostFunctionsRefuse() {
        // nearcore logic.rs: promise_batch_action_function_call_weight returns EmptyMethodName for an
        // empty name, promise_batch_action_deploy_contract ContractSizeExceeded over max_contract_size
        // (4 MiB), both before the promise is looked up or any fee is paid.
        long index = logic.promiseBatchCreate(memory, put(0, "bob.test.near"), 0);
        memory.write(64, new byte[16]);
        assertThatThrownBy(() -> logic.promiseBatchActionFunctionCall(memory, index, 0, 0, 0, 0, 64, 1))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("EmptyMethodName"));
        assertThatThrownBy(() -> logic.promiseCreate(memory, 13, 0, 0, 0, 0, 0, 64, 1))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("EmptyMethodName"));
        Memory large = new ByteArrayMemory(new MemoryLimits(65));
        long burnt = gas.burnt();
        assertThatThrownBy(() -> logic.promiseBatchActionDeployContract(large, 99, MAX_CONTRACT_SIZE + 1L, 0))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("ContractSizeExceeded"));
        assertThat(gas.burnt() - burnt)
                .as("base and the code read, no fee")
                .isEqualTo(base.gas + read_memory_base.gas + (MAX_CONTRACT_SIZE + 1L) * read_memory_byte.gas);
        logic.promiseBatchActionDeployContract(large, index, 1024, 0);
        assertThat(logic.promises().receipts().get(0).actions()).hasSize(1);
        // Names that are not UTF-8 are InvalidMethodName, once the fees are paid (nearcore's receipt manager).
        memory.write(100, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> logic.promiseBatchActionFunctionCall(memory, index, 2, 100, 0, 0, 64, 1))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("InvalidMethodName"));
        // A key that does not decode is InvalidPublicKey after the fee, as nearcore's PublicKeyBuffer.
        int actions = logic.promises().receipts().get(0).actions().size();
        long before = gas.burnt();
        assertThatThrownBy(() -> logic.promiseBatchActionDeleteKey(memory, index, 2, 100))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("InvalidPublicKey"));
        assertThat(gas.burnt() - before)
                .isEqualTo(
                        base.gas + read_memory_base.gas + 2 * read_memory_byte.gas + Fee.action_delete_key.sendNotSir);
        assertThat(logic.promises().receipts().get(0).actions())
                .as("nothing added")
                .hasSize(actions);
    }

    @Test
    void yieldResumeChargesItsPayloadLengthAsGivenSoARegisterPayloadOverflows() {
        // nearcore logic.rs promise_yield_resume: pay_per(yield_resume_byte, payload_len) before the
        // payload is read, so payload_len u64::MAX (a register) overflows u64: IntegerOverflow.
        memory.write(0, new byte[32]);
        long len = put(100, "payload");
        long burnt = gas.burnt();
        assertThat(logic.promiseYieldResume(memory, 32, 0, len, 100)).isZero();
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas
                        + yield_resume_base.gas
                        + len * yield_resume_byte.gas
                        + 2 * read_memory_base.gas
                        + (32 + len) * read_memory_byte.gas);
        logic.writeRegister(memory, 5, len, 100);
        assertThatThrownBy(() -> logic.promiseYieldResume(memory, 32, 0, U64_MAX, 5))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("IntegerOverflow"));
    }

    @Test
    void aPromiseWhosePrepaidGasDoesNotFitBurnsNothingMoreAndIsGasExceeded() {
        // nearcore gas_counter.rs deduct_gas: used gas past the prepaid gas goes to process_gas_limit
        // with the burnt gas unchanged (GasExceeded, as it stays under max_gas_burnt).
        long index = logic.promiseBatchCreate(memory, put(0, "bob.test.near"), 0);
        memory.write(64, new byte[16]);
        long method = put(100, "ping");
        logic.promiseBatchActionFunctionCall(memory, index, method, 100, 0, 0, 64, 200_000_000_000_000L);
        long burnt = gas.burnt();
        assertThatThrownBy(() -> logic.promiseBatchActionFunctionCall(
                        memory, index, method, 100, 0, 0, 64, 200_000_000_000_000L))
                .isInstanceOf(GasMeter.OutOfGasException.class);
        assertThat(gas.burnt())
                .as("what was burnt plus the second call's base, read and send fees: not the 300 Tgas")
                .isEqualTo(burnt
                        + base.gas
                        + 3 * read_memory_base.gas // amount, method name, (empty) arguments
                        + (16 + 4) * read_memory_byte.gas
                        + Fee.action_function_call.sendNotSir
                        + 4 * Fee.action_function_call_per_byte.sendNotSir);
        assertThat(gas.overMaxBurnt()).as("GasExceeded, not GasLimitExceeded").isFalse();
    }

    @Test
    void dataReceiptsOfDependenciesAreBurntWhole() {
        // nearcore logic.rs pay_gas_for_new_receipt: "Both creation and execution for data receipts
        // are considered burnt gas": data_receipt_creation_config.base_cost send (SIR when the
        // dependency's receiver is the new receipt's) + execution burnt, action_receipt_creation
        // execution used (prepaid).
        long id = put(0, "bob.test.near");
        long first = logic.promiseBatchCreate(memory, id, 0);
        long burnt = gas.burnt();
        long used = gas.used();
        logic.promiseBatchThen(memory, first, id, 0);
        long readAndDecode =
                read_memory_base.gas + 13 * read_memory_byte.gas + utf8_decoding_base.gas + 13 * utf8_decoding_byte.gas;
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas
                        + readAndDecode
                        + Fee.action_receipt_creation.sendNotSir
                        + Fee.data_receipt_creation_base.sendSir
                        + Fee.data_receipt_creation_base.execution);
        assertThat((gas.used() - used) - (gas.burnt() - burnt)).isEqualTo(Fee.action_receipt_creation.execution);

        // promise_yield_create: pay_gas_for_new_receipt(true, &[true]), its one data dependency included.
        long method = put(100, "on_resume");
        burnt = gas.burnt();
        used = gas.used();
        logic.promiseYieldCreate(memory, method, 100, 0, 0, 7_000_000_000_000L, 0, 3);
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas
                        + yield_create_base.gas
                        + 2 * read_memory_base.gas
                        + 9 * read_memory_byte.gas
                        + 9 * yield_create_byte.gas
                        + Fee.action_receipt_creation.sendSir
                        + Fee.data_receipt_creation_base.sendSir
                        + Fee.data_receipt_creation_base.execution
                        + Fee.action_function_call.sendSir
                        + 9 * Fee.action_function_call_per_byte.sendSir
                        + write_register_base.gas
                        + 32 * write_register_byte.gas);
        assertThat((gas.used() - used) - (gas.burnt() - burnt))
                .isEqualTo(7_000_000_000_000L
                        + Fee.action_receipt_creation.execution
                        + Fee.action_function_call.execution
                        + 9 * Fee.action_function_call_per_byte.execution);
    }

    @Test
    void yieldCreateWithIdPaysAsLogicRsAndATakenIdReturnsU64MaxBeforeAnyReceiptFee() {
        // nearcore logic.rs promise_yield_create_with_id (protocol 85): base, yield_create_with_id_base
        // (no yield_create_base), the u128 amount, method name, arguments and id, yield_create_byte;
        // then, for a new id, the callback's gas, the receipt with its one data dependency and the
        // function call, all sir; no data id in a register. A taken id: u64::MAX, nothing more.
        long method = put(100, "on_resume");
        memory.write(200, new byte[] {(byte) 0xe8, 0x03}); // u128 1000
        byte[] id = new byte[32];
        id[0] = 7;
        memory.write(300, id);
        BigInteger balanceBefore = logic.balance();
        long burnt = gas.burnt();
        long used = gas.used();
        long index = logic.promiseYieldCreateWithId(memory, method, 100, 0, 0, 200, 7_000_000_000_000L, 0, 32, 300);
        long reads = 4 * read_memory_base.gas + (16 + 9 + 32) * read_memory_byte.gas;
        assertThat(index).isZero();
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas
                        + yield_create_with_id_base.gas
                        + reads
                        + 9 * yield_create_byte.gas
                        + Fee.action_receipt_creation.sendSir
                        + Fee.data_receipt_creation_base.sendSir
                        + Fee.data_receipt_creation_base.execution
                        + Fee.action_function_call.sendSir
                        + 9 * Fee.action_function_call_per_byte.sendSir);
        assertThat((gas.used() - used) - (gas.burnt() - burnt))
                .isEqualTo(7_000_000_000_000L
                        + Fee.action_receipt_creation.execution
                        + Fee.action_function_call.execution
                        + 9 * Fee.action_function_call_per_byte.execution);
        assertThat(logic.balance()).isEqualTo(balanceBefore.subtract(BigInteger.valueOf(1000)));
        PromiseLog.NewReceipt yield = logic.promises().receipts().get(0);
        assertThat(yield.receiverId()).isEqualTo("c.test.near");
        assertThat(yield.yieldId()).isEqualTo(id);
        assertThat(yield.yieldDataId()).hasSize(32);
        assertThat(yield.actions())
                .singleElement()
                .isInstanceOfSatisfying(
                        Action.FunctionCall.class, f -> assertThat(f.deposit()).isEqualTo(BigInteger.valueOf(1000)));
        assertThat(logic.registersMemoryUsage()).as("no register written").isZero();

        burnt = gas.burnt();
        used = gas.used();
        assertThat(logic.promiseYieldCreateWithId(memory, method, 100, 0, 0, 200, 7_000_000_000_000L, 0, 32, 300))
                .isEqualTo(U64_MAX);
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas + yield_create_with_id_base.gas + reads + 9 * yield_create_byte.gas);
        assertThat(gas.used() - used).isEqualTo(gas.burnt() - burnt);
        assertThat(logic.promises().receipts()).hasSize(1);
        assertThat(logic.balance()).isEqualTo(balanceBefore.subtract(BigInteger.valueOf(1000)));

        burnt = gas.burnt();
        assertThatThrownBy(() ->
                        logic.promiseYieldCreateWithId(memory, method, 100, 0, 0, 200, 7_000_000_000_000L, 0, 31, 300))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("YieldIdMalformed"));
        assertThat(gas.burnt() - burnt)
                .as("malformed before yield_create_byte")
                .isEqualTo(base.gas
                        + yield_create_with_id_base.gas
                        + 4 * read_memory_base.gas
                        + (16 + 9 + 31) * read_memory_byte.gas);
        assertThatThrownBy(
                        () -> logic.promiseYieldCreateWithId(memory, 0, 100, 0, 0, 200, 7_000_000_000_000L, 0, 32, 300))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("EmptyMethodName"));
        memory.write(400, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1});
        id[0] = 8;
        memory.write(300, id);
        assertThatThrownBy(() ->
                        logic.promiseYieldCreateWithId(memory, method, 100, 0, 0, 400, 7_000_000_000_000L, 0, 32, 300))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("BalanceExceeded"));
    }

    @Test
    void oneYoctoOnAFunctionCallFromAZeroBalanceIsSubsidisedAsProtocol85() {
        // nearcore logic.rs (one_yocto_on_promise, 85.yaml): promise_batch_action_function_call_weight
        // and promise_yield_create_with_id skip deduct_balance for exactly 1 yocto while
        // current_account_balance (deposit included) is zero; the action still carries it.
        logic = logic(false, AccountContract.NONE, BigInteger.ZERO, BigInteger.ZERO);
        long receiver = put(0, "bob.test.near");
        long method = put(100, "ft_transfer_call");
        memory.write(200, VmLogic.u128(BigInteger.ONE));
        memory.write(232, VmLogic.u128(BigInteger.TWO));
        long index = logic.promiseBatchCreate(memory, receiver, 0);
        logic.promiseBatchActionFunctionCall(memory, index, method, 100, 0, 0, 200, 1_000_000_000_000L);
        logic.promiseBatchActionFunctionCallWeight(memory, index, method, 100, 0, 0, 200, 1_000_000_000_000L, 1);
        assertThat(logic.balance())
                .as("subsidised, twice: the balance stays zero")
                .isZero();
        assertThat(logic.promises().receipts().get(0).actions())
                .hasSize(2)
                .allSatisfy(a -> assertThat(((Action.FunctionCall) a).deposit()).isEqualTo(BigInteger.ONE));
        assertThatThrownBy(() ->
                        logic.promiseBatchActionFunctionCall(memory, index, method, 100, 0, 0, 232, 1_000_000_000_000L))
                .as("2 yocto is not subsidised")
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("BalanceExceeded"));
        assertThatThrownBy(() -> logic.promiseBatchActionTransfer(memory, index, 200))
                .as("a transfer has no exemption")
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("BalanceExceeded"));
        long created = logic.promiseCreate(memory, receiver, 0, method, 100, 0, 0, 200, 1_000_000_000_000L);
        assertThat(logic.promises().receipts().get((int) created).actions())
                .singleElement()
                .isInstanceOfSatisfying(
                        Action.FunctionCall.class, f -> assertThat(f.deposit()).isEqualTo(BigInteger.ONE));
        byte[] id = new byte[32];
        id[0] = 9;
        memory.write(300, id);
        logic.promiseYieldCreateWithId(memory, method, 100, 0, 0, 200, 1_000_000_000_000L, 0, 32, 300);
        assertThat(logic.balance()).isZero();

        // The balance is the account's plus the attached deposit: 1 yocto attached is deducted, and
        // the next 1 yocto, from the now zero balance, is subsidised.
        logic = logic(false, AccountContract.NONE, BigInteger.ZERO, BigInteger.ONE);
        long again = logic.promiseBatchCreate(memory, receiver, 0);
        logic.promiseBatchActionFunctionCall(memory, again, method, 100, 0, 0, 200, 1_000_000_000_000L);
        assertThat(logic.balance()).isZero();
        logic.promiseBatchActionFunctionCall(memory, again, method, 100, 0, 0, 200, 1_000_000_000_000L);
        assertThat(logic.balance()).isZero();
        assertThat(logic.promises().receipts().get(0).actions()).hasSize(2);
    }

    @Test
    void gasKeyHostFunctionsPayNearcoresFeesAndRecordTheirActions() {
        // nearcore logic.rs (gas_key_host_fns, 85): base first, ProhibitedInView, the key's bytes read,
        // the fees (send burnt, execution prepaid), the key decoded last (InvalidPublicKey after them).
        long index = logic.promiseBatchCreate(memory, put(0, "bob.test.near"), 0);
        byte[] pk = PublicKey.ed25519(new byte[32]).toBorsh();
        memory.write(100, pk);
        memory.write(200, VmLogic.u128(BigInteger.valueOf(1234)));
        BigInteger balance = logic.balance();
        long burnt = gas.burnt();
        long used = gas.used();
        logic.promiseBatchActionTransferToGasKey(memory, index, 33, 100, 200);
        long readKeyAndAmount = 2 * read_memory_base.gas + (33 + 16) * read_memory_byte.gas;
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas
                        + readKeyAndAmount
                        + Fee.action_gas_key_transfer.sendNotSir
                        + 33 * Fee.action_gas_key_byte.sendNotSir);
        // the access key's trie key (1 + "bob.test.near" + 1 + 33) and the smallest gas key (27)
        assertThat((gas.used() - used) - (gas.burnt() - burnt))
                .isEqualTo(Fee.action_gas_key_transfer.execution + (48 + 27) * Fee.action_gas_key_byte.execution);
        assertThat(logic.balance()).isEqualTo(balance.subtract(BigInteger.valueOf(1234)));

        burnt = gas.burnt();
        used = gas.used();
        logic.promiseBatchActionAddGasKeyWithFullAccess(memory, index, 33, 100, 4);
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas
                        + read_memory_base.gas
                        + 33 * read_memory_byte.gas
                        + Fee.action_add_full_access_key.sendNotSir
                        + 18 * Fee.action_gas_key_byte.sendNotSir);
        // per slot: nonce_write_base and its record (trie key 48 + u16 index, u64 value)
        assertThat((gas.used() - used) - (gas.burnt() - burnt))
                .isEqualTo(Fee.action_add_full_access_key.execution
                        + 4
                                * (Fee.action_gas_key_nonce_write_base.execution
                                        + (48 + 2 + 8) * Fee.action_gas_key_byte.execution));

        long method = put(300, "ping,pong");
        long receiver = put(400, "c.test.near");
        burnt = gas.burnt();
        used = gas.used();
        logic.promiseBatchActionAddGasKeyWithFunctionCall(memory, index, 33, 100, 1, 500, receiver, 400, method, 300);
        assertThat((gas.used() - used) - (gas.burnt() - burnt))
                .isEqualTo(Fee.action_add_function_call_key.execution
                        + 10 * Fee.action_add_function_call_key_per_byte.execution
                        + Fee.action_gas_key_nonce_write_base.execution
                        + (48 + 2 + 8) * Fee.action_gas_key_byte.execution);
        PublicKey key = PublicKey.fromBorsh(pk);
        assertThat(logic.promises().receipts().get(0).actions())
                .containsExactly(
                        new Action.TransferToGasKey(key, BigInteger.valueOf(1234)),
                        new Action.AddKey(
                                key,
                                new AccessKey(
                                        0,
                                        new AccessKey.GasKeyFullAccess(new AccessKey.GasKeyInfo(BigInteger.ZERO, 4)))),
                        new Action.AddKey(
                                key,
                                new AccessKey(
                                        0,
                                        new AccessKey.GasKeyFunctionCall(
                                                new AccessKey.GasKeyInfo(BigInteger.ZERO, 1),
                                                new AccessKey.FunctionCallPermission(
                                                        null, "c.test.near", List.of("ping", "pong"))))));

        assertThatThrownBy(() -> logic.promiseBatchActionAddGasKeyWithFullAccess(memory, index, 33, 100, 65_536))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("IntegerOverflow"));
        memory.write(600, new byte[] {9, 1, 2});
        burnt = gas.burnt();
        assertThatThrownBy(() -> logic.promiseBatchActionTransferToGasKey(memory, index, 3, 600, 200))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("InvalidPublicKey"));
        assertThat(gas.burnt() - burnt).as("the fees came first").isGreaterThan(Fee.action_gas_key_transfer.sendNotSir);
        memory.write(200, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1});
        assertThatThrownBy(() -> logic.promiseBatchActionTransferToGasKey(memory, index, 33, 100, 200))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("BalanceExceeded"));
        VmLogic view = logic(true);
        assertThatThrownBy(() -> view.promiseBatchActionTransferToGasKey(memory, 0, 33, 100, 200))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("ProhibitedInView"));
    }

    @Test
    void yieldResumeWithYieldIdFindsTheCallsOwnYieldOnceAndPaysAsPromiseYieldResume() {
        // nearcore logic.rs promise_yield_resume_with_yield_id: the costs of promise_yield_resume
        // (yield_resume_byte on payload_len as given); the id's data id from YieldIdToDataId, which
        // the call's own yields are in; then submit_promise_resume_data: once.
        byte[] id = new byte[32];
        id[31] = 1;
        memory.write(300, id);
        long method = put(100, "on_resume");
        memory.write(200, new byte[16]);
        long payload = put(400, "payload");
        long burnt = gas.burnt();
        assertThat(logic.promiseYieldResumeWithYieldId(memory, 32, 300, payload, 400))
                .as("no yield of that id")
                .isZero();
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas
                        + yield_resume_base.gas
                        + payload * yield_resume_byte.gas
                        + 2 * read_memory_base.gas
                        + (32 + payload) * read_memory_byte.gas);

        logic.promiseYieldCreateWithId(memory, method, 100, 0, 0, 200, 7_000_000_000_000L, 0, 32, 300);
        assertThat(logic.promiseYieldResumeWithYieldId(memory, 32, 300, payload, 400))
                .isEqualTo(1);
        assertThat(logic.promiseYieldResumeWithYieldId(memory, 32, 300, payload, 400))
                .as("resumed already")
                .isZero();
        assertThat(logic.promises().resumes()).singleElement().satisfies(r -> {
            assertThat(r.dataId()).isEqualTo(logic.promises().receipts().get(0).yieldDataId());
            assertThat(r.payload()).isEqualTo(utf8("payload"));
        });

        assertThatThrownBy(() -> logic.promiseYieldResumeWithYieldId(memory, 33, 300, payload, 400))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("YieldIdMalformed"));
        logic.writeRegister(memory, 5, payload, 400);
        assertThatThrownBy(() -> logic.promiseYieldResumeWithYieldId(memory, 32, 300, U64_MAX, 5))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("IntegerOverflow"));
        memory.write(1000, new byte[Fee.MAX_YIELD_PAYLOAD_SIZE + 1]);
        assertThatThrownBy(() ->
                        logic.promiseYieldResumeWithYieldId(memory, 32, 300, Fee.MAX_YIELD_PAYLOAD_SIZE + 1, 1000))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("YieldPayloadLength"));

        logic = logic(true);
        assertThatThrownBy(() -> logic.promiseYieldCreateWithId(memory, method, 100, 0, 0, 200, 0, 0, 32, 300))
                .isInstanceOfSatisfying(HostError.class, e -> {
                    assertThat(e.variant()).isEqualTo("ProhibitedInView");
                    assertThat(e.getMessage()).startsWith("promise_yield_create_with_id ");
                });
        assertThatThrownBy(() -> logic.promiseYieldResumeWithYieldId(memory, 32, 300, 0, 0))
                .isInstanceOfSatisfying(HostError.class, e -> {
                    assertThat(e.variant()).isEqualTo("ProhibitedInView");
                    assertThat(e.getMessage()).startsWith("promise_yield_resume_with_yield_id ");
                });
    }

    @Test
    void aYieldResumedInTheCallThatCreatedItResumesOnce() {
        // nearcore ext.rs submit_promise_resume_data: a yield this call created is in the receipt
        // manager (checked_resolve_promise_yield) and its status in the state update: found, once.
        long method = put(100, "on_resume");
        logic.promiseYieldCreate(memory, method, 100, 0, 0, 7_000_000_000_000L, 0, 3);
        byte[] dataId = register(3);
        memory.write(300, dataId);
        long payload = put(400, "now");
        assertThat(logic.promiseYieldResume(memory, 32, 300, payload, 400)).isEqualTo(1);
        assertThat(logic.promiseYieldResume(memory, 32, 300, payload, 400)).isZero();
        assertThat(logic.promises().resumes()).hasSize(1);
    }

    @Test
    void accountIdArgumentsPayUtf8DecodingAsNearcoresReadAndParseAccountId() {
        // nearcore logic.rs read_and_parse_account_id: the bytes (memory or register), then
        // utf8_decoding_base + utf8_decoding_byte per byte, then BadUTF8 / InvalidAccountId.
        long id = put(0, "bob.test.near");
        long burnt = gas.burnt();
        long used = gas.used();
        logic.promiseBatchCreate(memory, id, 0);
        long read = read_memory_base.gas + 13 * read_memory_byte.gas;
        long decode = utf8_decoding_base.gas + 13 * utf8_decoding_byte.gas;
        assertThat(gas.burnt() - burnt)
                .as("base + account id read and decoded + action_receipt_creation send (not SIR)")
                .isEqualTo(base.gas + read + decode + Fee.action_receipt_creation.sendNotSir);
        assertThat(gas.used() - used - (gas.burnt() - burnt)).isEqualTo(Fee.action_receipt_creation.execution);

        long stakeBefore = logic.profile().gas(utf8_decoding_byte);
        logic.validatorStake(memory, id, 0, 64);
        assertThat(logic.profile().gas(utf8_decoding_byte) - stakeBefore)
                .as("validator_stake reads its account id the same way")
                .isEqualTo(13 * utf8_decoding_byte.gas);

        memory.write(300, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> logic.promiseBatchCreate(memory, 2, 300))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("BadUTF8"));
        assertThatThrownBy(() -> logic.validatorStake(memory, put(200, "Not Valid"), 200, 64))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("InvalidAccountId"));
        // promise_batch_then reads the account id before it looks the promise up.
        assertThatThrownBy(() -> logic.promiseBatchThen(memory, 99, 2, 300))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("BadUTF8"));
    }

    @Test
    void promiseAndChargesItsPerPromiseCostPerByteOfTheIndexArrayAsNearcore() {
        long id = put(0, "bob.test.near");
        long first = logic.promiseBatchCreate(memory, id, 0);
        long second = logic.promiseBatchCreate(memory, id, 0);
        long third = logic.promiseBatchCreate(memory, id, 0);
        java.nio.ByteBuffer indices = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        indices.putLong(first).putLong(second).putLong(third);
        memory.write(200, indices.array());
        logic.promiseAnd(memory, 200, 3);
        assertThat(logic.profile().gas(ExtCost.promise_and_base)).isEqualTo(ExtCost.promise_and_base.gas);
        assertThat(logic.profile().gas(ExtCost.promise_and_per_promise))
                .isEqualTo(3 * 8 * ExtCost.promise_and_per_promise.gas);
    }

    @Test
    void promiseAndStopsAtNearcoresLimitOfInputDataDependencies() {
        long id = put(0, "bob.test.near");
        long receipt = logic.promiseBatchCreate(memory, id, 0);
        // 100 x the same receipt joined; then that joint promise 100 times: nearcore refuses the
        // 129th dependency in the loop, before the product (10,000) is ever built.
        java.nio.ByteBuffer indices = java.nio.ByteBuffer.allocate(800).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 100; i++) {
            indices.putLong(receipt);
        }
        memory.write(1024, indices.array());
        long joint = logic.promiseAnd(memory, 1024, 100);
        indices.clear();
        for (int i = 0; i < 100; i++) {
            indices.putLong(joint);
        }
        memory.write(1024, indices.array());
        assertThatThrownBy(() -> logic.promiseAnd(memory, 1024, 100))
                .isInstanceOfSatisfying(
                        HostError.class,
                        e -> assertThat(e.kind())
                                .isEqualTo(new HostError.NumberInputDataDependenciesExceeded(200, 128)));
    }

    @Test
    void globalContractHostFunctionsChargeNearcoresFeesAndRecordTheirActions() {
        // nearcore logic.rs promise_batch_action_deploy_global_contract(_impl) and
        // promise_batch_action_use_global_contract(_impl): base, the argument read, then pay_action_base
        // and pay_action_per_byte of deploy_global_contract_base/_byte (per code byte) or
        // use_global_contract_base/_byte (per identifier byte); fees of 77.yaml.
        long index = logic.promiseBatchCreate(memory, put(0, "bob.test.near"), 0);
        memory.write(200, new byte[100]);
        long burnt = gas.burnt();
        long used = gas.used();
        logic.promiseBatchActionDeployGlobalContract(memory, index, 100, 200, false);
        assertThat(gas.burnt() - burnt)
                .as("base + 100 bytes read + the send fees (not SIR)")
                .isEqualTo(base.gas + read_memory_base.gas + 100 * read_memory_byte.gas + 189_534_121_500L);
        assertThat(Fee.action_deploy_global_contract.sendNotSir
                        + 100 * Fee.action_deploy_global_contract_per_byte.sendNotSir)
                .isEqualTo(189_534_121_500L);
        assertThat((gas.used() - used) - (gas.burnt() - burnt))
                .as("the execution fees prepaid: 184,765,750,000 + 100 x 70,000,000")
                .isEqualTo(191_765_750_000L);

        burnt = gas.burnt();
        used = gas.used();
        memory.write(400, new byte[32]);
        logic.promiseBatchActionUseGlobalContract(memory, index, 32, 400);
        assertThat(gas.burnt() - burnt)
                .as("base + 32 bytes read + 184,765,750,000 + 32 x 47,683,715")
                .isEqualTo(base.gas + read_memory_base.gas + 32 * read_memory_byte.gas + 186_291_628_880L);
        assertThat((gas.used() - used) - (gas.burnt() - burnt))
                .as("184,765,750,000 + 32 x 64,572,944")
                .isEqualTo(186_832_084_208L);

        burnt = gas.burnt();
        used = gas.used();
        long id = put(500, "lib.test.near");
        logic.promiseBatchActionUseGlobalContractByAccountId(memory, index, id, 500);
        assertThat(gas.burnt() - burnt)
                .as("the account id read and decoded, then 184,765,750,000 + 13 x 47,683,715")
                .isEqualTo(base.gas
                        + read_memory_base.gas
                        + 13 * read_memory_byte.gas
                        + utf8_decoding_base.gas
                        + 13 * utf8_decoding_byte.gas
                        + 185_385_638_295L);
        assertThat((gas.used() - used) - (gas.burnt() - burnt))
                .as("184,765,750,000 + 13 x 64,572,944")
                .isEqualTo(185_605_198_272L);

        logic.promiseBatchActionDeployGlobalContract(memory, index, 100, 200, true);
        java.util.List<Action> actions = logic.promises().receipts().get(0).actions();
        assertThat(actions).hasSize(4);
        assertThat(actions.get(0)).isInstanceOfSatisfying(Action.DeployGlobalContract.class, d -> {
            assertThat(d.code()).hasSize(100);
            assertThat(d.byAccountId()).isFalse();
        });
        assertThat(actions.get(1)).isEqualTo(new Action.UseGlobalContract(GlobalContractId.byHash(new byte[32])));
        assertThat(actions.get(2)).isEqualTo(new Action.UseGlobalContract(GlobalContractId.byAccount("lib.test.near")));
        assertThat(((Action.DeployGlobalContract) actions.get(3)).contractId("c.test.near"))
                .as("by account id: the deployer, the account whose receipt deploys")
                .isEqualTo(GlobalContractId.byAccount("c.test.near"));

        // To itself (SIR) the per-byte send fee is 6,812,999, as for a deploy.
        long self = logic.promiseBatchCreate(memory, put(600, "c.test.near"), 600);
        burnt = gas.burnt();
        logic.promiseBatchActionDeployGlobalContract(memory, self, 100, 200, false);
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas
                        + read_memory_base.gas
                        + 100 * read_memory_byte.gas
                        + 184_765_750_000L
                        + 100 * 6_812_999L);
    }

    @Test
    void globalContractHostFunctionsRefuseWhatNearcoresRefuse() {
        long index = logic.promiseBatchCreate(memory, put(0, "bob.test.near"), 0);
        // A code hash that is not 32 bytes is ContractCodeHashMalformed, read before the promise is
        // looked up and before any fee.
        long burnt = gas.burnt();
        assertThatThrownBy(() -> logic.promiseBatchActionUseGlobalContract(memory, 99, 31, 400))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("ContractCodeHashMalformed"));
        assertThat(gas.burnt() - burnt).isEqualTo(base.gas + read_memory_base.gas + 31 * read_memory_byte.gas);
        assertThatThrownBy(() -> logic.promiseBatchActionUseGlobalContract(memory, 99, 32, 400))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("InvalidPromiseIndex"));
        // Code over max_contract_size is ContractSizeExceeded before the promise or a fee, as a deploy.
        Memory large = new ByteArrayMemory(new MemoryLimits(65));
        burnt = gas.burnt();
        assertThatThrownBy(
                        () -> logic.promiseBatchActionDeployGlobalContract(large, 99, MAX_CONTRACT_SIZE + 1L, 0, true))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("ContractSizeExceeded"));
        assertThat(gas.burnt() - burnt)
                .isEqualTo(base.gas + read_memory_base.gas + (MAX_CONTRACT_SIZE + 1L) * read_memory_byte.gas);
        memory.write(300, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> logic.promiseBatchActionUseGlobalContractByAccountId(memory, index, 2, 300))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("BadUTF8"));
        assertThat(logic.promises().receipts().get(0).actions()).isEmpty();

        logic = logic(true);
        assertThatThrownBy(() -> logic.promiseBatchActionDeployGlobalContract(memory, 0, 1, 0, false))
                .isInstanceOfSatisfying(HostError.class, e -> {
                    assertThat(e.variant()).isEqualTo("ProhibitedInView");
                    assertThat(e.getMessage()).startsWith("promise_batch_action_deploy_global_contract ");
                });
        assertThatThrownBy(() -> logic.promiseBatchActionUseGlobalContractByAccountId(memory, 0, 1, 0))
                .isInstanceOfSatisfying(
                        HostError.class, e -> assertThat(e.variant()).isEqualTo("ProhibitedInView"));
    }

    @Test
    void chainIdWritesTheChainsIdAndPaysBaseAndTheRegisterAlsoInAView() {
        // nearcore logic.rs chain_id (NEP-638, 85.yaml chain_id_host_fn): pay_base(base), then
        // registers.set: write_register_base + write_register_byte per byte of "outlayer-bench" (14).
        for (boolean view : new boolean[] {false, true}) {
            logic = logic(view);
            long before = gas.burnt();
            logic.chainId(4);
            assertThat(gas.burnt() - before)
                    .as("264,768,111 + 2,865,522,486 + 14 x 3,801,564")
                    .isEqualTo(base.gas + write_register_base.gas + 14 * write_register_byte.gas)
                    .isEqualTo(3_183_512_493L);
            assertThat(register(4)).isEqualTo(utf8("outlayer-bench"));
        }
        assertThat(NearImports.table().get("chain_id").type())
                .isEqualTo(com.dylibso.chicory.wasm.types.FunctionType.of(
                        java.util.List.of(com.dylibso.chicory.wasm.types.ValType.I64), java.util.List.of()));
    }

    @Test
    void envGasBurnsRegularOperationsAsWasmGas() {
        // nearcore's gas_seen_from_wasm (env.gas): opcodes (u32) x regular_op_cost 822,756, no base,
        // and no ExtCosts entry: the profile counts it as wasm gas.
        long before = gas.burnt();
        long hostBefore = gas.hostGas();
        logic.gasSeenFromWasm(10);
        assertThat(gas.burnt() - before).isEqualTo(10 * 822_756L);
        assertThat(gas.hostGas()).isEqualTo(hostBefore);
        assertThat(gas.wasmGas()).isEqualTo(gas.burnt() - hostBefore);
        assertThat(NearImports.table().get("gas").type())
                .isEqualTo(com.dylibso.chicory.wasm.types.FunctionType.of(
                        java.util.List.of(com.dylibso.chicory.wasm.types.ValType.I32), java.util.List.of()));
        // -1 is u32::MAX opcodes: 3,533,682,983,452,380 gas, over the 300 Tgas prepaid.
        assertThatThrownBy(() -> logic.gasSeenFromWasm(-1)).isInstanceOf(GasMeter.OutOfGasException.class);
    }

    @Test
    void everyNearSysFunctionIsInTheTable() {
        assertThat(NearImports.table())
                .containsKeys(
                        "read_register",
                        "storage_write",
                        "promise_batch_action_function_call_weight",
                        "ed25519_verify",
                        "p256_verify",
                        "abort",
                        "alt_bn128_pairing_check",
                        "bls12381_p2_decompress",
                        "promise_yield_resume",
                        "promise_batch_action_transfer_to_gas_key",
                        "promise_batch_action_add_gas_key_with_full_access",
                        "promise_batch_action_add_gas_key_with_function_call");
    }
}
