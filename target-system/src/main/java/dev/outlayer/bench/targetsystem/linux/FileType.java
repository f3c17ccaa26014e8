package dev.outlayer.bench.targetsystem.linux;

/** WASI preview1 filetype values. */
final class FileType {
    static final int UNKNOWN = 0;
    static final int CHARACTER_DEVICE = 2;
    static final int DIRECTORY = 3;
    static final int REGULAR_FILE = 4;

    private FileType() {}
}
