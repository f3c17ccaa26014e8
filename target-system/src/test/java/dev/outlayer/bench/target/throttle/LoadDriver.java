package dev.outlayer.bench.target.throttle;

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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends JSON-RPC calls to coordinators from a few threads for a fixed time and counts the answers
 * by coordinator and status. Each thread paces itself so that the offered load is far above the
 * tiers' rates without saturating a small shared test machine.
 */
final class LoadDriver {
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
    record Caller(String apiKey, List<String> coordinators, int threadsPerCoordinator) {
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** Runs every caller at once for {@code duration}; returns tallies by caller then coordinator, and the wall time. */
    Result run(List<Caller> callers, Duration duration, Duration pause) throws InterruptedException {
        Map<Caller, Map<String, Tally>> tallies = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (Caller caller : callers) {
            Map<String, Tally> perCoordinator = new ConcurrentHashMap<>();
            tallies.put(caller, perCoordinator);
            for (String coordinator : caller.coordinators()) {
                Tally tally = perCoordinator.computeIfAbsent(coordinator, c -> new Tally());
                for (int i = 0; i < caller.threadsPerCoordinator(); i++) {
                    Thread thread = new Thread(() -> drive(caller.apiKey(), coordinator, tally, end, pause));
                    threads.add(thread);
                    thread.start();
                }
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(tallies, (System.nanoTime() - start) / 1e9);
    }

    record Result(Map<Caller, Map<String, Tally>> tallies, double seconds) {
        Tally tally(Caller caller, String coordinator) {
            return tallies.get(caller).get(coordinator);
        }

        long admitted(Caller caller) {
            return tallies.get(caller).values().stream().mapToLong(t -> t.count(200)).sum();
        }
    }

    private void drive(String apiKey, String coordinator, Tally tally, long end, Duration pause) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(coordinator + "/near-rpc"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        HttpRequest request = builder.build();
        while (System.nanoTime() < end) {
            int status;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                if (status != 200 && status != 429 && tally.otherBodies.size() < 20) {
                    tally.otherBodies.add(status + " " + response.body());
                }
            } catch (Exception e) {
                status = -1;
                if (tally.otherBodies.size() < 20) {
                    tally.otherBodies.add("exception " + e);
                }
            }
            tally.byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String get(String url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
