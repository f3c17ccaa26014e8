package dev.outlayer.bench.targetsystem.linux;

import static dev.outlayer.bench.targetsystem.linux.SyscallTable.sig;
import static dev.outlayer.bench.targetsystem.linux.WasiProcessCalls.WASI;

import com.dylibso.chicory.runtime.Memory;

/**
 * WASI syscalls that resolve paths. Every path is relative to an open directory and normalized
 * by {@link FileSystem#normalize}, which refuses absolute paths and {@code ..} above the root.
 * Symbolic links are not supported (the image has none and creating them is refused).
 */
final class WasiPathCalls {
    private static final int O_CREAT = 1;
    private static final int O_DIRECTORY = 2;
    private static final int O_EXCL = 4;
    private static final int O_TRUNC = 8;
    private static final long RIGHT_FD_READ = 1L << 1;
    private static final long RIGHT_FD_WRITE = 1L << 6;

    private WasiPathCalls() {}

    static void register(SyscallTable.Builder table) {
        table.add(50, WASI, "path_create_directory", sig("iii", "i"), KernelCosts.PATH, (p, m, a) -> {
            p.fs.mkdir(resolve(p, m, a[0], a[1], a[2]));
            return Errno.SUCCESS;
        });
        table.add(
                51,
                WASI,
                "path_filestat_get",
                sig("iiiii", "i"),
                KernelCosts.PATH,
                (p, m, a) -> WasiFdCalls.filestat(m, p.fs.require(resolve(p, m, a[0], a[2], a[3])), a[4]));
        table.add(
                52,
                WASI,
                "path_filestat_set_times",
                sig("iiiiIIi", "i"),
                KernelCosts.PATH,
                (p, m, a) -> WasiFdCalls.setTimes(p.fs.require(resolve(p, m, a[0], a[2], a[3])), a[5], (int) a[6]));
        table.add(
                53,
                WASI,
                "path_link",
                sig("iiiiiii", "i"),
                KernelCosts.PATH,
                (p, m, a) -> link(p, resolve(p, m, a[0], a[2], a[3]), resolve(p, m, a[4], a[5], a[6])));
        table.add(
                54,
                WASI,
                "path_open",
                sig("iiiiiIIii", "i"),
                KernelCosts.PATH,
                (p, m, a) -> open(
                        p,
                        m,
                        resolve(p, m, a[0], a[2], a[3]),
                        namesDirectory(m, a[2], a[3]),
                        (int) a[4],
                        a[5],
                        (int) a[7],
                        a[8]));
        table.add(55, WASI, "path_readlink", sig("iiiiii", "i"), KernelCosts.PATH, (p, m, a) -> {
            p.fs.require(resolve(p, m, a[0], a[1], a[2]));
            return Errno.INVAL;
        });
        table.add(56, WASI, "path_remove_directory", sig("iii", "i"), KernelCosts.PATH, (p, m, a) -> {
            p.fs.unlink(resolve(p, m, a[0], a[1], a[2]), true);
            return Errno.SUCCESS;
        });
        table.add(57, WASI, "path_rename", sig("iiiiii", "i"), KernelCosts.PATH, (p, m, a) -> {
            p.fs.rename(resolve(p, m, a[0], a[1], a[2]), resolve(p, m, a[3], a[4], a[5]));
            return Errno.SUCCESS;
        });
        table.add(58, WASI, "path_symlink", sig("iiiii", "i"), KernelCosts.PATH, (p, m, a) -> Errno.PERM);
        table.add(59, WASI, "path_unlink_file", sig("iii", "i"), KernelCosts.PATH, (p, m, a) -> {
            p.fs.unlink(resolve(p, m, a[0], a[1], a[2]), false);
            return Errno.SUCCESS;
        });
    }

    /** The absolute path named by (directory fd, relative path in guest memory). */
    private static String resolve(Process process, Memory memory, long dirFd, long pathPtr, long pathLength) {
        if (!(process.fd(dirFd) instanceof OpenDirectory dir)) {
            throw new SyscallError(Errno.NOTDIR);
        }
        if (pathLength > FileSystem.MAX_PATH) {
            throw new SyscallError(Errno.NAMETOOLONG);
        }
        String relative = GuestMemory.string(memory, pathPtr, pathLength);
        String path = FileSystem.normalize(dir.path, relative);
        // "file/" or "file/." names a directory: ENOTDIR for a file, as Linux and wasmtime answer
        // (the lexical normalization drops the slash, so "f/" opened, stat'ed or unlinked f).
        if (namesDirectory(relative) && process.fs.lookup(path) instanceof FsNode.RegularFile) {
            throw new SyscallError(Errno.NOTDIR);
        }
        return path;
    }

    /** Whether a path ends in "/" or "/.", so that only a directory can be what it names. */
    private static boolean namesDirectory(String relative) {
        return relative.endsWith("/") || relative.endsWith("/.") || relative.equals(".");
    }

    private static boolean namesDirectory(Memory memory, long pathPtr, long pathLength) {
        return namesDirectory(GuestMemory.string(memory, pathPtr, pathLength));
    }

    private static long open(
            Process process,
            Memory memory,
            String path,
            boolean namesDirectory,
            int oflags,
            long rights,
            int fdFlags,
            long fdPtr) {
        // Refused before anything is looked up or made, as wasmtime's open_at (crates/wasi/src/
        // filesystem.rs) and Linux since 6.4; O_CREAT | O_DIRECTORY made a regular file, then failed.
        if ((oflags & O_DIRECTORY) != 0 && (oflags & (O_CREAT | O_EXCL | O_TRUNC)) != 0) {
            return Errno.INVAL;
        }
        FileSystem fs = process.fs;
        boolean wantsWrite = (rights & RIGHT_FD_WRITE) != 0 || (oflags & O_TRUNC) != 0;
        FsNode node = fs.lookup(path);
        if (node == null) {
            if ((oflags & O_CREAT) == 0) {
                return Errno.NOENT;
            }
            if (namesDirectory) {
                return Errno.ISDIR; // open("new/", O_CREAT) on Linux: a file cannot have that name
            }
            node = fs.createFile(path);
        } else if ((oflags & O_CREAT) != 0 && (oflags & O_EXCL) != 0) {
            return Errno.EXIST;
        }
        Descriptor descriptor;
        if (node instanceof FsNode.Dir dir) {
            if (wantsWrite) {
                return Errno.ISDIR;
            }
            descriptor = new OpenDirectory(fs, dir, path, null);
        } else {
            if ((oflags & O_DIRECTORY) != 0) {
                return Errno.NOTDIR;
            }
            if (wantsWrite && !node.writable) {
                return Errno.ROFS;
            }
            FsNode.RegularFile file = (FsNode.RegularFile) node;
            if ((oflags & O_TRUNC) != 0) {
                fs.truncate(file, 0);
            }
            descriptor = new OpenFile(fs, file, (rights & RIGHT_FD_READ) != 0, wantsWrite, fdFlags);
        }
        GuestMemory.check(memory, fdPtr, 4);
        int fd = process.allocate(descriptor);
        memory.writeI32((int) fdPtr, fd);
        return Errno.SUCCESS;
    }

    private static long link(Process process, String from, String to) {
        process.fs.link(from, to);
        return Errno.SUCCESS;
    }
}
