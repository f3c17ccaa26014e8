package dev.outlayer.bench.targetsystem.linux;

import static dev.outlayer.bench.targetsystem.linux.SyscallTable.sig;
import static dev.outlayer.bench.targetsystem.linux.WasiProcessCalls.WASI;

import com.dylibso.chicory.runtime.Memory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** WASI syscalls on open descriptors: read, write, seek, stat, readdir, preopens. */
final class WasiFdCalls {
    /** Every right WASI defines; access is enforced by the descriptors and the filesystem. */
    static final long ALL_RIGHTS = (1L << 30) - 1;

    private static final long RIGHT_FD_READ = 1L << 1;
    private static final long RIGHT_FD_WRITE = 1L << 6;
    private static final int MAX_IO_CHUNK = 1 << 20;

    private WasiFdCalls() {}

    static void register(SyscallTable.Builder table) {
        table.add(20, WASI, "fd_advise", sig("iIIi", "i"), KernelCosts.SIMPLE, (p, m, a) -> {
            p.fd(a[0]);
            return Errno.SUCCESS;
        });
        table.add(21, WASI, "fd_allocate", sig("iII", "i"), KernelCosts.IO, (p, m, a) -> allocate(p, a[0], a[1], a[2]));
        table.add(22, WASI, "fd_close", sig("i", "i"), KernelCosts.SIMPLE, (p, m, a) -> {
            p.close(a[0]);
            return Errno.SUCCESS;
        });
        table.add(23, WASI, "fd_datasync", sig("i", "i"), KernelCosts.SIMPLE, (p, m, a) -> sync(p, a[0]));
        table.add(24, WASI, "fd_fdstat_get", sig("ii", "i"), KernelCosts.SIMPLE, (p, m, a) -> fdstat(p, m, a[0], a[1]));
        table.add(25, WASI, "fd_fdstat_set_flags", sig("ii", "i"), KernelCosts.SIMPLE, (p, m, a) -> {
            p.fd(a[0]).fdFlags = (int) a[1];
            return Errno.SUCCESS;
        });
        table.add(26, WASI, "fd_fdstat_set_rights", sig("iII", "i"), KernelCosts.SIMPLE, (p, m, a) -> {
            p.fd(a[0]);
            return Errno.SUCCESS;
        });
        table.add(
                27,
                WASI,
                "fd_filestat_get",
                sig("ii", "i"),
                KernelCosts.SIMPLE,
                (p, m, a) -> filestat(m, p.fd(a[0]), a[1]));
        table.add(28, WASI, "fd_filestat_set_size", sig("iI", "i"), KernelCosts.IO, (p, m, a) -> {
            openFile(p, a[0]).truncate(a[1]);
            return Errno.SUCCESS;
        });
        table.add(
                29,
                WASI,
                "fd_filestat_set_times",
                sig("iIIi", "i"),
                KernelCosts.SIMPLE,
                (p, m, a) -> setTimes(p.fd(a[0]).node(), a[2], (int) a[3]));
        table.add(
                30,
                WASI,
                "fd_pread",
                sig("iiiIi", "i"),
                KernelCosts.IO,
                (p, m, a) -> read(p, m, a[0], a[1], a[2], offset(a[3]), a[4]));
        table.add(
                31, WASI, "fd_prestat_get", sig("ii", "i"), KernelCosts.SIMPLE, (p, m, a) -> prestat(p, m, a[0], a[1]));
        table.add(
                32,
                WASI,
                "fd_prestat_dir_name",
                sig("iii", "i"),
                KernelCosts.SIMPLE,
                (p, m, a) -> prestatName(p, m, a[0], a[1], a[2]));
        table.add(
                33,
                WASI,
                "fd_pwrite",
                sig("iiiIi", "i"),
                KernelCosts.IO,
                (p, m, a) -> write(p, m, a[0], a[1], a[2], offset(a[3]), a[4]));
        table.add(
                34,
                WASI,
                "fd_read",
                sig("iiii", "i"),
                KernelCosts.IO,
                (p, m, a) -> read(p, m, a[0], a[1], a[2], -1, a[3]));
        table.add(
                35,
                WASI,
                "fd_readdir",
                sig("iiiIi", "i"),
                KernelCosts.IO,
                (p, m, a) -> readdir(p, m, a[0], a[1], a[2], a[3], a[4]));
        table.add(36, WASI, "fd_renumber", sig("ii", "i"), KernelCosts.SIMPLE, (p, m, a) -> {
            p.renumber(a[0], a[1]);
            return Errno.SUCCESS;
        });
        table.add(37, WASI, "fd_seek", sig("iIii", "i"), KernelCosts.IO, (p, m, a) -> {
            GuestMemory.writeI64(m, a[3], p.fd(a[0]).seek(a[1], (int) a[2]));
            return Errno.SUCCESS;
        });
        table.add(38, WASI, "fd_sync", sig("i", "i"), KernelCosts.SIMPLE, (p, m, a) -> sync(p, a[0]));
        table.add(39, WASI, "fd_tell", sig("ii", "i"), KernelCosts.SIMPLE, (p, m, a) -> {
            GuestMemory.writeI64(m, a[1], p.fd(a[0]).seek(0, 1));
            return Errno.SUCCESS;
        });
        table.add(
                40,
                WASI,
                "fd_write",
                sig("iiii", "i"),
                KernelCosts.IO,
                (p, m, a) -> write(p, m, a[0], a[1], a[2], -1, a[3]));
    }

    private static OpenFile openFile(Process process, long fd) {
        Descriptor descriptor = process.fd(fd);
        if (descriptor instanceof OpenFile file) {
            return file;
        }
        throw new SyscallError(descriptor instanceof OpenDirectory ? Errno.ISDIR : Errno.INVAL);
    }

    private static long allocate(Process process, long fd, long offset, long length) {
        OpenFile file = openFile(process, fd);
        if (offset < 0 || length <= 0) {
            return Errno.INVAL;
        }
        if (offset + length > file.node().size()) {
            file.truncate(offset + length);
        }
        return Errno.SUCCESS;
    }

    private static long sync(Process process, long fd) {
        process.fd(fd);
        return Errno.SUCCESS;
    }

    /** A pread/pwrite offset: a u64 past 2^63 is a negative off_t, EINVAL (not the current position). */
    private static long offset(long offset) {
        if (offset < 0) {
            throw new SyscallError(Errno.INVAL);
        }
        return offset;
    }

    /** readv/preadv: one read of at most the iovecs' total (a pipe returns what it has). */
    private static long read(
            Process process, Memory memory, long fd, long iovs, long count, long position, long resultPtr) {
        Descriptor descriptor = process.fd(fd);
        int want = (int) Math.min(GuestMemory.iovecTotal(memory, iovs, count), MAX_IO_CHUNK);
        byte[] buffer = new byte[want];
        int n = position < 0 ? descriptor.read(buffer, 0, want) : descriptor.pread(buffer, 0, want, position);
        GuestMemory.scatter(memory, iovs, count, buffer, n);
        GuestMemory.writeI32(memory, resultPtr, n);
        process.chargeKernel(KernelCosts.copy(n));
        return Errno.SUCCESS;
    }

    /**
     * writev/pwritev: blocking semantics, so everything gathered is written (a pipe waits for room);
     * at most {@link #MAX_IO_CHUNK} a call, a short write libc and Rust's std write again after.
     */
    private static long write(
            Process process, Memory memory, long fd, long iovs, long count, long position, long resultPtr) {
        Descriptor descriptor = process.fd(fd);
        byte[] bytes = GuestMemory.gather(memory, iovs, count, MAX_IO_CHUNK);
        int written = 0;
        if (position >= 0) {
            written = descriptor.pwrite(bytes, 0, bytes.length, position);
        } else {
            while (written < bytes.length) {
                written += descriptor.write(bytes, written, bytes.length - written);
            }
        }
        GuestMemory.writeI32(memory, resultPtr, written);
        process.chargeKernel(KernelCosts.copy(written));
        return Errno.SUCCESS;
    }

    private static long fdstat(Process process, Memory memory, long fd, long resultPtr) {
        Descriptor descriptor = process.fd(fd);
        GuestMemory.check(memory, resultPtr, 24);
        // A stream is read or written, not both: wasmtime's preview1 gives stdin FD_READ and
        // stdout and stderr FD_WRITE, base and inheriting, and wasi-libc's fcntl(F_GETFL) makes
        // O_RDONLY / O_WRONLY of them, as Linux has them.
        long rights =
                descriptor.node() != null ? ALL_RIGHTS : descriptor.readsStream() ? RIGHT_FD_READ : RIGHT_FD_WRITE;
        memory.writeByte((int) resultPtr, (byte) descriptor.fileType());
        memory.writeShort((int) resultPtr + 2, (short) descriptor.fdFlags);
        memory.writeLong((int) resultPtr + 8, rights);
        memory.writeLong((int) resultPtr + 16, rights);
        return Errno.SUCCESS;
    }

    static long filestat(Memory memory, Descriptor descriptor, long resultPtr) {
        FsNode node = descriptor.node();
        if (node == null) {
            GuestMemory.check(memory, resultPtr, 64);
            memory.fill((byte) 0, (int) resultPtr, (int) resultPtr + 64);
            memory.writeByte((int) resultPtr + 16, (byte) descriptor.fileType());
            memory.writeLong((int) resultPtr + 24, 1);
            return Errno.SUCCESS;
        }
        return filestat(memory, node, resultPtr);
    }

    static long filestat(Memory memory, FsNode node, long resultPtr) {
        GuestMemory.check(memory, resultPtr, 64);
        int at = (int) resultPtr;
        memory.writeLong(at, 1);
        memory.writeLong(at + 8, node.inode);
        memory.fill((byte) 0, at + 16, at + 24);
        memory.writeByte(at + 16, (byte) node.fileType());
        memory.writeLong(at + 24, node.linkCount());
        memory.writeLong(at + 32, node.size());
        memory.writeLong(at + 40, node.modifiedNanos);
        memory.writeLong(at + 48, node.modifiedNanos);
        memory.writeLong(at + 56, node.modifiedNanos);
        return Errno.SUCCESS;
    }

    static long setTimes(FsNode node, long mtimNanos, int flags) {
        if (node == null) {
            return Errno.SUCCESS;
        }
        if (!node.writable) {
            return Errno.ROFS;
        }
        if ((flags & 4) != 0) {
            node.modifiedNanos = mtimNanos;
        } else if ((flags & 8) != 0) {
            node.modifiedNanos = FileSystem.now();
        }
        return Errno.SUCCESS;
    }

    private static long prestat(Process process, Memory memory, long fd, long resultPtr) {
        if (!(process.fd(fd) instanceof OpenDirectory dir) || dir.preopenName == null) {
            return Errno.BADF;
        }
        GuestMemory.check(memory, resultPtr, 8);
        memory.writeI32((int) resultPtr, 0);
        memory.writeI32((int) resultPtr + 4, dir.preopenName.getBytes(StandardCharsets.UTF_8).length);
        return Errno.SUCCESS;
    }

    private static long prestatName(Process process, Memory memory, long fd, long buffer, long length) {
        if (!(process.fd(fd) instanceof OpenDirectory dir) || dir.preopenName == null) {
            return Errno.BADF;
        }
        byte[] name = dir.preopenName.getBytes(StandardCharsets.UTF_8);
        if (length < name.length) {
            return Errno.NAMETOOLONG;
        }
        GuestMemory.check(memory, buffer, name.length);
        memory.write((int) buffer, name);
        return Errno.SUCCESS;
    }

    /** Entries ".", "..", then the children in name order; the cookie is the next entry's index. */
    private static long readdir(
            Process process, Memory memory, long fd, long buffer, long length, long cookie, long usedPtr) {
        if (!(process.fd(fd) instanceof OpenDirectory open)) {
            return Errno.NOTDIR;
        }
        GuestMemory.check(memory, buffer, length);
        List<Map.Entry<String, FsNode>> entries = new ArrayList<>(open.dir.entries.size() + 2);
        entries.add(Map.entry(".", open.dir));
        FsNode parent = process.fs.lookup(FileSystem.parentOf(open.path));
        entries.add(Map.entry("..", parent == null ? open.dir : parent));
        entries.addAll(open.dir.entries.entrySet());
        // Sized by the entries written, not by the buffer the guest names (up to all its memory); a
        // cookie past the entries (a u64, so negative here when huge) is the end of the directory.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int start = cookie < 0 || cookie > entries.size() ? entries.size() : (int) cookie;
        for (int i = start; i < entries.size() && out.size() < length; i++) {
            byte[] name = entries.get(i).getKey().getBytes(StandardCharsets.UTF_8);
            FsNode node = entries.get(i).getValue();
            byte[] dirent = new byte[24 + name.length];
            java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(dirent).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            header.putLong(0, i + 1)
                    .putLong(8, node.inode)
                    .putInt(16, name.length)
                    .put(20, (byte) node.fileType());
            System.arraycopy(name, 0, dirent, 24, name.length);
            out.write(dirent, 0, (int) Math.min(dirent.length, length - out.size()));
        }
        int used = out.size();
        memory.write((int) buffer, out.toByteArray(), 0, used);
        GuestMemory.writeI32(memory, usedPtr, used);
        process.chargeKernel(KernelCosts.copy(used));
        return Errno.SUCCESS;
    }
}
