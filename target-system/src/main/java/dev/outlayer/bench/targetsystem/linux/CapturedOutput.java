package dev.outlayer.bench.targetsystem.linux;

import java.io.ByteArrayOutputStream;

/**
 * stdout or stderr collected for the response. Beyond {@code maxBytes} output is dropped (the
 * write still succeeds, as with a full log) and the run reports that it was truncated.
 */
final class CapturedOutput extends Descriptor {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final int maxBytes;
    private boolean truncated;

    CapturedOutput(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    int fileType() {
        return FileType.UNKNOWN;
    }

    @Override
    int write(byte[] from, int offset, int count) {
        int room = Math.max(0, maxBytes - bytes.size());
        if (count > room) {
            truncated = true;
        }
        bytes.write(from, offset, Math.min(count, room));
        return count;
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    boolean truncated() {
        return truncated;
    }
}
