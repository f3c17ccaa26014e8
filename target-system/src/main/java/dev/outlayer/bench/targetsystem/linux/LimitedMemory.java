package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;

/**
 * A process's linear memory capped at max_memory_mb. Chicory's memories are final, so this
 * delegates; its one addition is noticing when a grow is refused because of the cap, which is
 * how a process "hits" its memory limit (malloc failing) rather than merely using memory.
 */
final class LimitedMemory implements Memory {
    private final Memory delegate;
    private final int capPages;
    private final int declaredMaxPages;
    private final Runnable onLimitHit;

    LimitedMemory(MemoryLimits declared, int capPages, Runnable onLimitHit) {
        if (declared.initialPages() > capPages) {
            onLimitHit.run();
            throw new ProcessKilled(ProcessKilled.Reason.MEMORY);
        }
        this.capPages = capPages;
        this.declaredMaxPages = declared.maximumPages();
        this.onLimitHit = onLimitHit;
        this.delegate = new ByteArrayMemory(
                new MemoryLimits(declared.initialPages(), Math.min(declaredMaxPages, capPages), declared.shared()));
    }

    @Override
    public int grow(int size) {
        int result = delegate.grow(size);
        // size is wasm's u32: memory.grow(-1) asks for 2^32 - 1 pages, refused by the module's own
        // maximum, not by max_memory_mb (read as -1 it looked within the maximum, a limit hit).
        if (result < 0 && delegate.pages() + Integer.toUnsignedLong(size) <= declaredMaxPages) {
            onLimitHit.run();
        }
        return result;
    }

    // Everything else is the delegate's.

    @Override
    public int pages() {
        return delegate.pages();
    }

    @Override
    public int initialPages() {
        return delegate.initialPages();
    }

    @Override
    public int maximumPages() {
        return delegate.maximumPages();
    }

    @Override
    public boolean shared() {
        return delegate.shared();
    }

    @Override
    public Object lock(int address) {
        return delegate.lock(address);
    }

    @Override
    public int waitOn(int address, int expected, long timeout) {
        return delegate.waitOn(address, expected, timeout);
    }

    @Override
    public int waitOn(int address, long expected, long timeout) {
        return delegate.waitOn(address, expected, timeout);
    }

    @Override
    public int notify(int address, int maxThreads) {
        return delegate.notify(address, maxThreads);
    }

    @Override
    public void initialize(Instance instance, DataSegment[] segments) {
        delegate.initialize(instance, segments);
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        delegate.initPassiveSegment(segmentId, dest, offset, size);
    }

    @Override
    public void write(int address, byte[] data, int offset, int size) {
        delegate.write(address, data, offset, size);
    }

    @Override
    public void write(int address, byte[] data) {
        delegate.write(address, data);
    }

    @Override
    public byte read(int address) {
        return delegate.read(address);
    }

    @Override
    public byte[] readBytes(int address, int length) {
        return delegate.readBytes(address, length);
    }

    @Override
    public void writeI32(int address, int value) {
        delegate.writeI32(address, value);
    }

    @Override
    public int readInt(int address) {
        return delegate.readInt(address);
    }

    @Override
    public void writeLong(int address, long value) {
        delegate.writeLong(address, value);
    }

    @Override
    public long readLong(int address) {
        return delegate.readLong(address);
    }

    @Override
    public void writeShort(int address, short value) {
        delegate.writeShort(address, value);
    }

    @Override
    public short readShort(int address) {
        return delegate.readShort(address);
    }

    @Override
    public long readU16(int address) {
        return delegate.readU16(address);
    }

    @Override
    public void writeByte(int address, byte value) {
        delegate.writeByte(address, value);
    }

    @Override
    public void writeF32(int address, float value) {
        delegate.writeF32(address, value);
    }

    @Override
    public long readF32(int address) {
        return delegate.readF32(address);
    }

    @Override
    public float readFloat(int address) {
        return delegate.readFloat(address);
    }

    @Override
    public void writeF64(int address, double value) {
        delegate.writeF64(address, value);
    }

    @Override
    public double readDouble(int address) {
        return delegate.readDouble(address);
    }

    @Override
    public long readF64(int address) {
        return delegate.readF64(address);
    }

    @Override
    public void zero() {
        delegate.zero();
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        delegate.fill(value, fromIndex, toIndex);
    }

    @Override
    public void copy(int dest, int src, int size) {
        delegate.copy(dest, src, size);
    }

    @Override
    public void drop(int segment) {
        delegate.drop(segment);
    }
}
