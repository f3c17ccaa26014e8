import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak test's load and sampler (issue 15, "Keep it held"); bench/soak.sh starts the target and
 * runs this with the JDK's source launcher. Mixed load on loopback only: proxied JSON-RPC, contract
 * calls (direct and linux mode), Linux program runs with secrets, keystore reads and writes. Every
 * sample interval: heap after a full GC (/admin/gc), RSS, threads and open file descriptors of the
 * target's process. At the end: per lane counts, statuses and latency percentiles, and a verdict.
 *
 * <p>Usage: java bench/Soak.java COORDINATOR_URL KEYSTORE_URL PID SECONDS SAMPLE_SECONDS CIPHERTEXT OUT_DIR
 */
public final class Soak {
    static final String KEY = "bench-unlimited-key"; // owner bench.test.near (feeders/api-keys.csv)
    static final String OWNER = "bench.test.near";
    static final String REPO = "github.com/outlayer-bench/soak";
    static final long MAX_SECONDS = 4 * 3600;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One kind of traffic: counts by status and a millisecond histogram (1 ms buckets to 10 s). */
    static final class Lane {
        final String name;
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        final AtomicLongArray millis = new AtomicLongArray(10_001);
        final AtomicLong failures = new AtomicLong();

        Lane(String name) {
            this.name = name;
        }

        void record(int status, long nanos) {
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            millis.incrementAndGet((int) Math.min(10_000, nanos / 1_000_000));
        }

        long total() {
            return statuses.values().stream().mapToLong(AtomicLong::get).sum();
        }

        long count(int fromStatus, int toStatus) {
            return statuses.entrySet().stream()
                    .filter(e -> e.getKey() >= fromStatus && e.getKey() <= toStatus)
                    .mapToLong(e -> e.getValue().get())
                    .sum();
        }

        long percentile(double p) {
            long total = 0;
            for (int i = 0; i < millis.length(); i++) {
                total += millis.get(i);
            }
            long rank = (long) Math.ceil(total * p / 100.0);
            long seen = 0;
            for (int i = 0; i < millis.length(); i++) {
                seen += millis.get(i);
                if (seen >= rank && rank > 0) {
                    return i;
                }
            }
            return 0;
        }
    }

    public static void main(String[] args) throws Exception {
        String coordinator = loopback(args[0]);
        String keystore = loopback(args[1]);
        long pid = Long.parseLong(args[2]);
        long seconds = Long.parseLong(args[3]);
        long sampleSeconds = Long.parseLong(args[4]);
        String ciphertext = args[5];
        Path out = Path.of(args[6]);
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("duration must be 1.." + MAX_SECONDS + " seconds, not " + seconds);
        }
        Files.createDirectories(out);

        upload(coordinator + "/programs/printenv", Path.of("resources/programs/printenv.wasm"));
        String secrets = "{\"owner\":\"" + OWNER + "\",\"profile\":\"soak\",\"repo\":\"" + REPO + "\"}";
        List<Lane> lanes = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        threads.add(lane(lanes, "proxy", end, i -> post(
                coordinator + "/near-rpc", "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"status\",\"params\":[]}")));
        threads.add(lane(lanes, "contract-call", end, i -> post(
                coordinator + "/contracts/counter.test.near/call", i % 5 == 0 ? "{\"method\":\"get_num\"}" : "{\"method\":\"increment\"}")));
        threads.add(lane(lanes, "linux-run", end, i -> post(
                coordinator + "/programs/printenv/run", "{\"argv\":[\"SOAK_SECRET\"],\"secrets\":" + secrets + "}")));
        threads.add(lane(lanes, "linux-contract", end, i -> post(
                coordinator + "/contracts/counter.test.near/call", "{\"method\":\"increment\",\"mode\":\"linux\",\"secrets\":" + secrets + "}")));
        threads.add(lane(lanes, "keystore", end, i -> switch ((int) (i % 3)) {
            case 0 -> send("GET", keystore + "/secrets/" + OWNER, null);
            case 1 -> send("PUT", keystore + "/secrets/" + OWNER + "/soak-" + (i % 20),
                    "{\"repo\":\"" + REPO + "\",\"encrypted_secrets_base64\":\"" + ciphertext + "\",\"access\":\"AllowAll\"}");
            default -> post(keystore + "/pubkey", "{\"repo\":\"" + REPO + "\",\"owner\":\"" + OWNER + "\"}");
        }));

        List<String> samples = new ArrayList<>();
        samples.add("time,elapsed_s,heap_after_gc_mb,rss_mb,threads,fds,requests");
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            samples.add(sample(coordinator, pid, start, lanes));
            System.out.println(samples.get(samples.size() - 1));
            Thread.sleep(Math.min(sampleSeconds * 1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        samples.add(sample(coordinator, pid, start, lanes));
        Files.write(out.resolve("samples.csv"), samples);
        System.exit(report(lanes, samples, out) ? 0 : 1);
    }

    interface Call {
        int run(long i) throws Exception;
    }

    static Thread lane(List<Lane> lanes, String name, long end, Call call) {
        Lane lane = new Lane(name);
        lanes.add(lane);
        Thread thread = new Thread(() -> {
            for (long i = 0; System.nanoTime() < end; i++) {
                long t0 = System.nanoTime();
                try {
                    lane.record(call.run(i), System.nanoTime() - t0);
                } catch (Exception e) {
                    lane.failures.incrementAndGet(); // no answer at all: connection refused, reset, timeout
                }
            }
        }, "soak-" + name);
        thread.start();
        return thread;
    }

    static int post(String url, String body) throws Exception {
        return send("POST", url, body);
    }

    static int send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("X-API-Key", KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static void upload(String url, Path wasm) throws Exception {
        int status = HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofFile(wasm)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 201) {
            throw new IllegalStateException("uploading " + wasm + " answered " + status);
        }
    }

    static String sample(String coordinator, long pid, long start, List<Lane> lanes) throws Exception {
        HttpResponse<String> gc = HTTP.send(HttpRequest.newBuilder(URI.create(coordinator + "/admin/gc"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher used = Pattern.compile("\"heap_used_bytes\":(\\d+)").matcher(gc.body());
        double heapMb = used.find() ? Long.parseLong(used.group(1)) / 1048576.0 : -1;
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        long fds;
        try (var entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = entries.count();
        }
        long requests = lanes.stream().mapToLong(Lane::total).sum();
        return String.format(Locale.ROOT, "%s,%d,%.1f,%.1f,%d,%d,%d", Instant.now(),
                (System.nanoTime() - start) / 1_000_000_000L, heapMb, field(status, "VmRSS") / 1024.0,
                field(status, "Threads"), fds, requests);
    }

    static long field(String procStatus, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\d+)").matcher(procStatus);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Passes when every lane was answered and mostly succeeded (no 5xx but the 503/429 of back
     * pressure, no request without an answer), and neither the heap after GC nor the descriptors
     * grew between the first quarter and the end (25 % and 32 descriptors of slack).
     */
    static boolean report(List<Lane> lanes, List<String> samples, Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean ok = true;
        for (Lane lane : lanes) {
            long total = lane.total();
            long success = lane.count(200, 299);
            long serverErrors = lane.count(500, 599) - lane.count(503, 503);
            Map<Integer, Long> statuses = new TreeMap<>();
            lane.statuses.forEach((s, n) -> statuses.put(s, n.get()));
            lines.add(String.format(Locale.ROOT, "%-15s requests %7d  2xx %7d  statuses %s  unanswered %d  p50 %d ms  p99 %d ms",
                    lane.name, total, success, statuses, lane.failures.get(), lane.percentile(50), lane.percentile(99)));
            if (success == 0 || serverErrors > 0 || lane.failures.get() > 0) {
                ok = false;
                lines.add("  FAIL " + lane.name + ": " + (success == 0 ? "no success" : serverErrors + " server errors, "
                        + lane.failures.get() + " unanswered"));
            }
        }
        List<String[]> rows = samples.stream().skip(1).map(s -> s.split(",")).toList();
        String[] early = rows.get(Math.max(0, rows.size() / 4));
        String[] last = rows.get(rows.size() - 1);
        double heapEarly = Double.parseDouble(early[2]);
        double heapLast = Double.parseDouble(last[2]);
        long fdsEarly = Long.parseLong(early[5]);
        long fdsLast = Long.parseLong(last[5]);
        lines.add(String.format(Locale.ROOT, "heap after GC %.1f -> %.1f MB, fds %d -> %d, rss %s -> %s MB, threads %s -> %s",
                heapEarly, heapLast, fdsEarly, fdsLast, early[3], last[3], early[4], last[4]));
        if (heapLast > heapEarly * 1.25 + 8 || fdsLast > fdsEarly + 32) {
            ok = false;
            lines.add("  FAIL: heap or file descriptors grew");
        }
        lines.add(ok ? "SOAK PASSED" : "SOAK FAILED");
        lines.forEach(System.out::println);
        Files.write(out.resolve("summary.txt"), lines);
        return ok;
    }

    /** Only loopback: a soak is never pointed at somebody else's machine by mistake. */
    static String loopback(String url) throws IOException {
        String host = URI.create(url).getHost();
        if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("the soak runs against loopback only, not " + url);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
