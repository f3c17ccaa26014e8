package dev.outlayer.bench.targetsystem.linux;

/** A directory opened by path_open, or a preopened directory (which has a name for fd_prestat). */
final class OpenDirectory extends Descriptor {
    final FsNode.Dir dir;
    final String path;
    final String preopenName;

    OpenDirectory(FsNode.Dir dir, String path, String preopenName) {
        this.dir = dir;
        this.path = path;
        this.preopenName = preopenName;
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
}
