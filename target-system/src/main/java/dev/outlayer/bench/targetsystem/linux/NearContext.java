package dev.outlayer.bench.targetsystem.linux;

/** Who called and at which block: the NEAR context a worker passes to a process. */
record NearContext(
        String senderId, String predecessorId, String contractId, long blockHeight, long blockTimestampNanos) {}
