package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The function bodies {@link GasInstrumenter} writes, as bytes and, at the same time, as the
 * instructions Chicory would decode from those bytes (opcode, operands and address), so the
 * instrumented module needs no second parse ({@link InstrumentedModule}). Writes are not
 * synchronized (ByteArrayOutputStream's are: a lock per byte on the deploy path).
 *
 * <p>One body at a time is in the byte buffer; the instructions of every body written so far are
 * kept, their addresses relative to the start of the code section's contents once
 * {@link #bodyPlaced(int)} tells where the body went.
 */
final class CodeWriter extends ByteArrayOutputStream {
    /** Chicory's operand of a block type that declares no values ({@code 0x40}). */
    private static final long EMPTY_BLOCK_TYPE = 0x40;

    private final boolean recording;
    private int[] addresses = new int[0];
    private OpCode[] opcodes = new OpCode[0];
    private long[][] operands = new long[0][];
    /** The original instruction a copy came from: its operands are read when the module is built. */
    private Instruction[] sources = new Instruction[0];

    private int count;
    private int bodyFirst;

    /** @param recording false: bytes only (the instructions are not needed) */
    CodeWriter(int capacity, boolean recording) {
        super(capacity);
        this.recording = recording;
    }

    @Override
    public void write(int b) {
        if (count() == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2 + 16);
        }
        buf[super.count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (count() + len > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count() + len));
        }
        System.arraycopy(b, off, buf, count(), len);
        super.count += len;
    }

    private int count() {
        return super.count;
    }

    /** Appends the bytes written since {@link #startBody()} to {@code out}. */
    void appendTo(CodeWriter out) {
        out.write(buf, 0, count());
    }

    /** Starts the next body: the byte buffer empties, the instructions recorded so far stay. */
    void startBody() {
        reset();
        bodyFirst = count;
    }

    /** The body just written starts {@code offset} bytes into the code section's contents. */
    void bodyPlaced(int offset) {
        for (int i = bodyFirst; i < count; i++) {
            addresses[i] += offset;
        }
    }

    /** Instructions recorded so far (the index of the next one). */
    int instructionCount() {
        return count;
    }

    /**
     * The recorded instruction {@code i}, its address moved by {@code base}. A copied instruction
     * takes its operands from the original now: validation, which may run while the code is
     * written, completes some of them (see {@link InstrumentedModule#validate}).
     */
    Instruction instruction(int i, int base) {
        Instruction source = sources[i];
        return new Instruction(addresses[i] + base, opcodes[i], source != null ? source.operands() : operands[i]);
    }

    /** An original instruction, copied byte for byte from {@code original[from, to)}. */
    void copy(Instruction instruction, byte[] original, int from, int to) {
        record(instruction.opcode(), null);
        if (recording) {
            sources[count - 1] = instruction;
        }
        write(original, from, to - from);
    }

    /** An instruction without immediates. */
    void simple(OpCode op) {
        record(op, Instruction.EMPTY_OPERANDS);
        write(op.opcode());
    }

    void globalGet(int index) {
        indexed(OpCode.GLOBAL_GET, index);
    }

    void globalSet(int index) {
        indexed(OpCode.GLOBAL_SET, index);
    }

    void localGet(int index) {
        indexed(OpCode.LOCAL_GET, index);
    }

    void localSet(int index) {
        indexed(OpCode.LOCAL_SET, index);
    }

    void localTee(int index) {
        indexed(OpCode.LOCAL_TEE, index);
    }

    void i64Const(long value) {
        record(OpCode.I64_CONST, recording ? new long[] {value} : null);
        write(OpCode.I64_CONST.opcode());
        Leb128.writeSigned(this, value);
    }

    /** {@code if} with the empty block type. */
    void ifEmpty() {
        record(OpCode.IF, recording ? new long[] {EMPTY_BLOCK_TYPE} : null);
        write(OpCode.IF.opcode());
        write((int) EMPTY_BLOCK_TYPE);
    }

    private void indexed(OpCode op, int index) {
        record(op, recording ? new long[] {index} : null);
        write(op.opcode());
        Leb128.writeUnsigned(this, index);
    }

    private void record(OpCode op, long[] immediates) {
        if (!recording) {
            return;
        }
        if (count == opcodes.length) {
            int grown = opcodes.length * 2 + 64;
            addresses = Arrays.copyOf(addresses, grown);
            opcodes = Arrays.copyOf(opcodes, grown);
            operands = Arrays.copyOf(operands, grown);
            sources = Arrays.copyOf(sources, grown);
        }
        addresses[count] = count();
        opcodes[count] = op;
        operands[count] = immediates;
        count++;
    }
}
