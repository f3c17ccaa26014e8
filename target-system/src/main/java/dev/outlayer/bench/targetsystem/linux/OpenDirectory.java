package dev.outlayer.bench.targetsystem.linux;

/** A directory opened by path_open, or a preopened directory (which has a name for fd_prestat). */
final class OpenDirectory extends Descriptor {
    private final FileSystem fs;
    final FsNode.Dir dir;
    final String path;
    final String preopenName;
    private boolean closed;

    OpenDirectory(FileSystem fs, FsNode.Dir dir, String path, String preopenName) {
        this.fs = fs;
        this.dir = dir;
        this.path = path;
        this.preopenName = preopenName;
        fs.opened(dir);
    }

    @Override
    void close() {
        if (!closed) {
            closed = true;
            fs.closed(dir);
        }
    }

    @Override
    int fileType() {
        return FileType.DIRECTORY;
    }

    @Override
    FsNode node() {
        return dir;
    }

    @Override
    int read(byte[] into, int offset, int count) {
        throw new SyscallError(Errno.ISDIR);
    }

    @Override
    int pread(byte[] into, int offset, int count, long position) {
        throw new SyscallError(Errno.ISDIR);
    }
}
