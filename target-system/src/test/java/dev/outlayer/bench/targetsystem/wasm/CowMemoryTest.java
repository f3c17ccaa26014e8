package dev.outlayer.bench.targetsystem.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CowMemory} against Chicory's own {@code ByteArrayMemory} on the same module: the same
 * bytes, the same traps, for random loads, stores and bulk operations at page edges; and views
 * of one image never see each other's writes.
 */
class CowMemoryTest {
    private static final WasmModule MODULE = Parser.parse(TestContracts.wasm("memory_semantics"));
    private static final MemoryLimits LIMITS = new MemoryLimits(2, 4);

    private static Memory reference() {
        ByteArrayMemory memory = new ByteArrayMemory(LIMITS);
        memory.initialize(null, MODULE.dataSection().dataSegments());
        return memory;
    }

    private static CowMemory view(MemoryImage image) {
        CowMemory memory = image.newMemory();
        memory.zero(); // what Chicory's instantiation does: zero, then the data segments
        memory.initialize(null, MODULE.dataSection().dataSegments());
        return memory;
    }

    @Test
    void theImageIsInstantiationsResultAndAViewCopiesNothingUntilWritten() {
        MemoryImage image = MemoryImage.of(MODULE, LIMITS);
        assertThat(image).isNotNull();
        assertThat(image.residentBytes())
                .as("two data pages of 4 KiB and a 64 KiB edge")
                .isLessThanOrEqualTo(4 * 4096);
        CowMemory memory = view(image);
        assertThat(memory.ownBytes()).isZero();
        assertThat(memory.readBytes(0, 2 * Memory.PAGE_SIZE))
                .isEqualTo(reference().readBytes(0, 2 * Memory.PAGE_SIZE));
        assertThat(memory.readString(4090, 12)).isEqualTo("abcdefghijkl");
        assertThat(memory.readString(65530, 10)).isEqualTo("0123456789");
        assertThat(memory.ownBytes()).as("reads copy nothing").isZero();
        memory.writeLong(4092, 0x5858585858585858L); // straddles two pages: both copied
        assertThat(memory.ownBytes()).isEqualTo(2L * CowMemory.PAGE_BYTES);
        assertThat(memory.readString(4090, 12)).isEqualTo("abXXXXXXXXkl");
    }

    @Test
    void writesOfOneViewNeverReachTheImageOrAnotherView() {
        MemoryImage image = MemoryImage.of(MODULE, LIMITS);
        CowMemory first = view(image);
        first.writeI32(4090, 0x7a7a7a7a);
        first.fill((byte) 1, 100_000, 120_000);
        first.grow(1);
        first.writeByte(2 * Memory.PAGE_SIZE + 3, (byte) 9);
        CowMemory second = view(image);
        assertThat(second.pages()).isEqualTo(2);
        assertThat(second.readString(4090, 12)).isEqualTo("abcdefghijkl");
        assertThat(second.read(110_000)).isZero();
        assertThat(first.readString(4090, 4)).isEqualTo("zzzz");
    }

    @Test
    void randomAccessesMatchChicorysByteArrayMemoryByteForByteAndTrapForTrap() {
        MemoryImage image = MemoryImage.of(MODULE, LIMITS);
        Random random = new Random(20261203);
        for (int round = 0; round < 200; round++) {
            Memory expected = reference();
            CowMemory actual = view(image);
            for (int op = 0; op < 200; op++) {
                int size = expected.pages() * Memory.PAGE_SIZE;
                int addr = edgeAddress(random, size);
                int kind = random.nextInt(12);
                long value = random.nextLong();
                int len = random.nextInt(3 * CowMemory.PAGE_BYTES);
                String step = "round " + round + " op " + op + " kind " + kind + " at " + addr + " len " + len;
                Object want = apply(expected, kind, addr, value, len);
                Object got = apply(actual, kind, addr, value, len);
                assertThat(describe(got)).as(step).isEqualTo(describe(want));
            }
            assertThat(actual.pages()).isEqualTo(expected.pages());
            int size = expected.pages() * Memory.PAGE_SIZE;
            assertThat(actual.readBytes(0, size)).isEqualTo(expected.readBytes(0, size));
        }
    }

    /** Addresses near the 4 KiB, 64 KiB and end-of-memory edges, and a few anywhere (also negative). */
    private static int edgeAddress(Random random, int size) {
        int edge = switch (random.nextInt(5)) {
            case 0 -> CowMemory.PAGE_BYTES * (1 + random.nextInt(size / CowMemory.PAGE_BYTES));
            case 1 -> Memory.PAGE_SIZE * (1 + random.nextInt(size / Memory.PAGE_SIZE));
            case 2 -> size;
            case 3 -> random.nextInt();
            default -> random.nextInt(size);
        };
        return edge + random.nextInt(17) - 8;
    }

    private static Object apply(Memory m, int kind, int addr, long value, int len) {
        try {
            return switch (kind) {
                case 0 -> m.read(addr);
                case 1 -> m.readShort(addr);
                case 2 -> m.readInt(addr);
                case 3 -> m.readLong(addr);
                case 4 -> {
                    m.writeI32(addr, (int) value);
                    yield "ok";
                }
                case 5 -> {
                    m.writeLong(addr, value);
                    yield "ok";
                }
                case 6 -> {
                    m.writeShort(addr, (short) value);
                    yield "ok";
                }
                case 7 -> m.readBytes(addr, len);
                case 8 -> {
                    byte[] data = new byte[len];
                    Arrays.fill(data, (byte) value);
                    m.write(addr, data);
                    yield "ok";
                }
                case 9 -> {
                    m.fill((byte) (value & 1), addr, addr + len);
                    yield "ok";
                }
                case 10 -> {
                    m.copy(addr, addr + (int) (value % (2 * CowMemory.PAGE_BYTES)), len);
                    yield "ok";
                }
                default -> m.grow((int) (value & 1));
            };
        } catch (ChicoryException | IndexOutOfBoundsException e) {
            return "trap";
        }
    }

    private static String describe(Object o) {
        return o instanceof byte[] b ? Arrays.toString(b) : String.valueOf(o);
    }

    @Test
    void aTrapNamesAnOutOfBoundsMemoryAccessLikeChicorys() {
        CowMemory memory = view(MemoryImage.of(MODULE, LIMITS));
        assertThatThrownBy(() -> memory.readInt(2 * Memory.PAGE_SIZE - 3))
                .isInstanceOf(ChicoryException.class)
                .hasMessageContaining("out of bounds memory access");
        assertThatThrownBy(() -> memory.writeByte(-1, (byte) 0)).hasMessageContaining("out of bounds memory access");
        assertThat(memory.grow(3)).isEqualTo(-1);
        assertThat(memory.grow(2)).isEqualTo(2);
        assertThat(memory.readLong(4 * Memory.PAGE_SIZE - 8)).isZero();
    }

    @Test
    void aResetViewIsANewViewAgainWhateverItWroteGrewOrDropped() {
        MemoryImage image = MemoryImage.of(MODULE, LIMITS);
        Memory fresh = reference();
        CowMemory memory = view(image);
        memory.writeLong(4092, 0x5858585858585858L);
        memory.drop(0);
        memory.reset();
        assertThat(memory.ownBytes()).as("its copies dropped").isZero();
        assertThat(memory.readBytes(0, 2 * Memory.PAGE_SIZE)).isEqualTo(fresh.readBytes(0, 2 * Memory.PAGE_SIZE));
        memory.initPassiveSegment(0, 0, 0, 3);
        assertThat(memory.readString(0, 3)).as("the dropped segment is back").isEqualTo("abc");

        assertThat(memory.grow(2)).isEqualTo(2);
        memory.writeByte(3 * Memory.PAGE_SIZE, (byte) 7);
        memory.zero();
        memory.reset();
        assertThat(memory.pages()).as("the initial size").isEqualTo(2);
        assertThatThrownBy(() -> memory.read(2 * Memory.PAGE_SIZE)).hasMessageContaining("out of bounds memory access");
        assertThat(memory.readBytes(0, 2 * Memory.PAGE_SIZE)).isEqualTo(fresh.readBytes(0, 2 * Memory.PAGE_SIZE));
        assertThat(memory.grow(1)).isEqualTo(2);
        assertThat(memory.read(3 * Memory.PAGE_SIZE - 1))
                .as("grown pages are zero again")
                .isZero();
        assertThat(memory.readLong(3 * Memory.PAGE_SIZE - 8)).isZero();
    }

    @Test
    void theLastPageReadOrWrittenIsNeverStaleAcrossACopyAResetOrAZero() {
        MemoryImage image = MemoryImage.of(MODULE, LIMITS);
        Memory fresh = reference();
        CowMemory memory = view(image);
        int addr = Memory.PAGE_SIZE + 100; // a page of zeros in the image
        assertThat(memory.readInt(addr)).isZero(); // read first: the shared zero page
        memory.writeI32(addr, 42); // now this call's copy
        assertThat(memory.readInt(addr)).as("read after the copy").isEqualTo(42);
        assertThat(memory.readInt(addr + 4)).isZero();
        memory.reset();
        assertThat(memory.readInt(addr)).as("after a reset: the image's page").isZero();
        memory.writeI32(addr + 8, 7); // a copy again, after the reset
        assertThat(memory.readInt(addr)).isZero();
        assertThat(memory.readInt(addr + 8)).isEqualTo(7);
        memory.zero();
        assertThat(memory.readInt(addr + 8)).as("after zero").isZero();
        memory.reset();
        memory.writeByte(0, (byte) 1);
        memory.reset();
        assertThat(memory.readBytes(0, 2 * Memory.PAGE_SIZE)).isEqualTo(fresh.readBytes(0, 2 * Memory.PAGE_SIZE));
    }

    @Test
    void aDataSegmentPastTheInitialPagesMakesAnImageWhoseInstantiationTraps() {
        MemoryImage image = MemoryImage.of(MODULE, new MemoryLimits(0, 4));
        assertThat(image).as("precomputed: the trap").isNotNull();
        CowMemory memory = image.newMemory();
        memory.zero();
        assertThatThrownBy(() -> memory.initialize(null, MODULE.dataSection().dataSegments()))
                .isInstanceOf(ChicoryException.class)
                .hasMessageContaining("out of bounds memory access");
    }

    @Test
    void thePageTableGrowsWithTheWasmPagesTouchedNotWithTheMemory() {
        // NEAR's memory: 1,024 pages growing to 2,048 (16,384 to 32,768 pages of 4 KiB).
        MemoryImage image = MemoryImage.of(MODULE, new MemoryLimits(1024, 2048));
        CowMemory memory = view(image);
        assertThat(memory.tableEntries())
                .as("the data's two wasm pages: a slot each and their pages")
                .isLessThanOrEqualTo(2 * (1 + CowMemory.PER_WASM_PAGE));
        assertThat(memory.grow(1024)).isEqualTo(1024);
        assertThat(memory.tableEntries())
                .as("growing allocates nothing")
                .isLessThanOrEqualTo(2 * (1 + CowMemory.PER_WASM_PAGE));
        memory.writeByte(2048 * Memory.PAGE_SIZE - 1, (byte) 7);
        assertThat(memory.read(2048 * Memory.PAGE_SIZE - 1)).isEqualTo((byte) 7);
        assertThat(memory.ownBytes()).isEqualTo(CowMemory.PAGE_BYTES);
        assertThat(memory.tableEntries())
                .as("a slot per wasm page up to the one written, and its chunk")
                .isLessThanOrEqualTo(2048 + 3 * CowMemory.PER_WASM_PAGE);
        memory.reset();
        assertThat(memory.pages()).isEqualTo(1024);
        assertThat(memory.ownBytes()).isZero();
        assertThat(memory.grow(1024)).isEqualTo(1024);
        assertThat(memory.read(2048 * Memory.PAGE_SIZE - 1))
                .as("the written page is the zero page again")
                .isZero();
        assertThat(memory.readString(4090, 12)).isEqualTo("abcdefghijkl");
    }
}
