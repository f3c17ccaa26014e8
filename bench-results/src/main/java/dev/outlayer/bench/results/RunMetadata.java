package dev.outlayer.bench.results;

/** Where and on what a run happened, so that two runs can be judged comparable. */
public record RunMetadata(
        String gitCommit, String targetUrl, String javaVersion, int cpuCount, String host, String os) {}
