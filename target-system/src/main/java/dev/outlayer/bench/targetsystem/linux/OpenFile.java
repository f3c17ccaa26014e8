package dev.outlayer.bench.targetsystem.linux;

/** A regular file opened by path_open, with its own position and access mode. */
final class OpenFile extends Descriptor {
    private final FileSystem fs;
    private final FsNode.RegularFile file;
    private final boolean readable;
    private final boolean writable;
    private long position;
    private boolean closed;

    OpenFile(FileSystem fs, FsNode.RegularFile file, boolean readable, boolean writable, int fdFlags) {
        this.fs = fs;
        this.file = file;
        this.readable = readable;
        this.writable = writable;
        this.fdFlags = fdFlags;
        fs.opened(file);
    }

    @Override
    int fileType() {
        return FileType.REGULAR_FILE;
    }

    @Override
    FsNode node() {
        return file;
    }

    @Override
    int read(byte[] into, int offset, int count) {
        int n = pread(into, offset, count, position);
        position += n;
        return n;
    }

    @Override
    int write(byte[] from, int offset, int count) {
        if ((fdFlags & 1) != 0) {
            position = file.size();
        }
        int n = pwrite(from, offset, count, position);
        position += n;
        return n;
    }

    @Override
    int pread(byte[] into, int offset, int count, long at) {
        if (!readable) {
            throw new SyscallError(Errno.BADF);
        }
        return file.read(at, into, offset, count);
    }

    @Override
    int pwrite(byte[] from, int offset, int count, long at) {
        if (!writable) {
            throw new SyscallError(Errno.BADF);
        }
        fs.write(file, at, from, offset, count);
        return count;
    }

    @Override
    long seek(long offset, int whence) {
        long base = switch (whence) {
            case 0 -> 0;
            case 1 -> position;
            case 2 -> file.size();
            default -> throw new SyscallError(Errno.INVAL);
        };
        long target = base + offset;
        if (target < 0) {
            throw new SyscallError(Errno.INVAL);
        }
        position = target;
        return position;
    }

    void truncate(long length) {
        if (!writable) {
            throw new SyscallError(Errno.BADF);
        }
        fs.truncate(file, length);
    }

    /** The file's data may be freed now, if this was its last descriptor and it has no name left. */
    @Override
    void close() {
        if (!closed) {
            closed = true;
            fs.closed(file);
        }
    }

    @Override
    long readableBytes() {
        return Math.max(1, file.size() - position);
    }
}
