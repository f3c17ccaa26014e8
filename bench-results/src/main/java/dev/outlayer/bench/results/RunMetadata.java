package dev.outlayer.bench.results;

/**
 * Where, on what and as part of what a run happened, so that a reader can judge whether two runs are
 * comparable and whether a run counts: the form (the spec's full form or the short CI form), the
 * suite invocation and repetition it belongs to, the target it measured, and the machine's load.
 *
 * @param form           {@link #FULL} or {@link #CI}
 * @param suite          the suite invocation this run belongs to (null: run on its own)
 * @param repetition     1-based repetition within the suite (null: run on its own)
 * @param repetitions    how many repetitions the suite ran of each simulation
 * @param target         what was measured: embedded or external, its version, commit and flags
 * @param loadStart      the machine's 1-minute load average when the run began (null: unknown)
 * @param loadEnd        the same when it ended
 * @param jvm            the load generator's JVM: name, version, heap
 */
public record RunMetadata(
        String gitCommit,
        String targetUrl,
        String javaVersion,
        int cpuCount,
        String host,
        String os,
        String form,
        String suite,
        Integer repetition,
        Integer repetitions,
        TargetInfo target,
        Double loadStart,
        Double loadEnd,
        String jvm) {

    public static final String FULL = "full";
    public static final String CI = "ci";

    /** Runs written before the form was recorded were full-form unless their parameters say ci=true. */
    public RunMetadata {
        form = form == null ? FULL : form;
    }

    public boolean ciForm() {
        return CI.equals(form);
    }

    /** The system under test as a run saw it. */
    public record TargetInfo(String kind, String version, String commit, String flags) {
        public static final String EMBEDDED = "embedded";
        public static final String EXTERNAL = "external";
    }
}
