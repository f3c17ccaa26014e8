package dev.outlayer.bench.targetsystem.throttle;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends JSON-RPC calls to coordinators at a steady pace for a fixed time and counts the answers by
 * coordinator and status: an offered load far above the tiers' rates without saturating a small
 * shared test machine.
 */
final class LoadDriver {
    /** Calls one stream may have waiting for an answer. */
    static final int OUTSTANDING = 4;

    private static final String BODY = "{\"jsonrpc\":\"2.0\",\"id\":\"t\",\"method\":\"status\",\"params\":[]}";

    /** Answers from one coordinator for one caller. */
    static final class Tally {
        final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> otherBodies = new ConcurrentLinkedQueue<>();

        long count(int status) {
            AtomicLong n = byStatus.get(status);
            return n == null ? 0 : n.get();
        }

        long total() {
            return byStatus.values().stream().mapToLong(AtomicLong::get).sum();
        }

        @Override
        public String toString() {
            return byStatus.toString();
        }
    }

    /** One caller: an API key (null for anonymous) sent to every coordinator by its own threads. */
    record Caller(String apiKey, List<String> coordinators, int threadsPerCoordinator) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /**
     * Runs every caller at once for {@code duration}, then waits for the answers still on their way;
     * returns tallies by caller then coordinator, and the wall time. Each stream sends one call per
     * {@code pause} whether or not earlier answers are back (at most {@link #OUTSTANDING} pending),
     * so a slow machine does not quietly lower the offered load below the tier's rate.
     */
    Result run(List<Caller> callers, Duration duration, Duration pause) throws InterruptedException {
        Map<Caller, Map<String, Tally>> tallies = new ConcurrentHashMap<>();
        List<Semaphore> streams = new ArrayList<>();
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (Caller caller : callers) {
            Map<String, Tally> perCoordinator = new ConcurrentHashMap<>();
            tallies.put(caller, perCoordinator);
            for (String coordinator : caller.coordinators()) {
                Tally tally = perCoordinator.computeIfAbsent(coordinator, c -> new Tally());
                HttpRequest request = request(caller.apiKey(), coordinator);
                for (int i = 0; i < caller.threadsPerCoordinator(); i++) {
                    Semaphore pending = new Semaphore(OUTSTANDING);
                    streams.add(pending);
                    ticker.scheduleAtFixedRate(
                            () -> {
                                if (System.nanoTime() < end && pending.tryAcquire()) {
                                    send(request, tally, pending);
                                }
                            },
                            0,
                            pause.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
        }
        Thread.sleep(duration.toMillis());
        ticker.shutdownNow();
        for (Semaphore pending : streams) {
            pending.tryAcquire(OUTSTANDING, 30, TimeUnit.SECONDS);
        }
        return new Result(tallies, (System.nanoTime() - start) / 1e9);
    }

    record Result(Map<Caller, Map<String, Tally>> tallies, double seconds) {
        Tally tally(Caller caller, String coordinator) {
            return tallies.get(caller).get(coordinator);
        }

        long admitted(Caller caller) {
            return tallies.get(caller).values().stream()
                    .mapToLong(t -> t.count(200))
                    .sum();
        }
    }

    private static HttpRequest request(String apiKey, String coordinator) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(coordinator + "/near-rpc"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        return builder.build();
    }

    private void send(HttpRequest request, Tally tally, Semaphore pending) {
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            int status = failure == null ? response.statusCode() : -1;
            if (status != 200 && status != 429 && tally.otherBodies.size() < 20) {
                tally.otherBodies.add(failure == null ? status + " " + response.body() : "exception " + failure);
            }
            tally.byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            pending.release();
        });
    }

    static String get(String url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
