package dev.outlayer.bench.targetsystem.linux;

/** A process's stdin when it is given as bytes (the request's stdin). */
final class InputStreamDescriptor extends Descriptor {
    private final byte[] data;
    private int position;

    InputStreamDescriptor(byte[] data) {
        this.data = data;
    }

    @Override
    int fileType() {
        return FileType.UNKNOWN;
    }

    @Override
    boolean readsStream() {
        return true;
    }

    @Override
    int read(byte[] into, int offset, int count) {
        int n = Math.min(count, data.length - position);
        System.arraycopy(data, position, into, offset, n);
        position += n;
        return n;
    }

    @Override
    long readableBytes() {
        return Math.max(1, data.length - position);
    }
}
