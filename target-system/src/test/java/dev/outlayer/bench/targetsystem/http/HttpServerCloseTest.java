package dev.outlayer.bench.targetsystem.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A server closed while keep-alive callers keep sending: requests answered as the server stops are
 * not logged as failures. Undertow's graceful-shutdown listener counts an exchange done before the
 * exchange's own completion has run on its I/O thread (which re-arms the connection's read timer),
 * so stopping the I/O threads right after the wait could reject that timer and log an internal
 * error for a call that had been answered.
 */
class HttpServerCloseTest {
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(logs);
    }

    @Test
    void requestsAnsweredWhileTheServerStopsAreNotLoggedAsFailures() throws Exception {
        AtomicLong answered = new AtomicLong();
        for (int round = 0; round < 40; round++) {
            HttpServer server = HttpServer.start(
                    "close-test", "127.0.0.1", 0, exchange -> Responses.json(exchange, 200, new Ok(true)), 1000);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread caller = new Thread(() -> keepCalling(server.port(), stop, answered), "close-test-caller-" + c);
                caller.start();
                callers.add(caller);
            }
            Thread.sleep(15);
            server.close();
            stop.set(true);
            for (Thread caller : callers) {
                caller.join(10_000);
            }
        }
        assertThat(answered.get())
                .as("calls answered before the servers stopped")
                .isPositive();
        assertThat(logs.list)
                .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage)
                .isEmpty();
    }

    record Ok(boolean ok) {}

    /** Keep-alive GETs on one socket, a new socket when the server closes one, until told to stop. */
    private static void keepCalling(int port, AtomicBoolean stop, AtomicLong answered) {
        byte[] request = ("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[4096];
        while (!stop.get()) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                while (!stop.get()) {
                    out.write(request);
                    out.flush();
                    int read = in.read(buffer);
                    if (read <= 0) {
                        break;
                    }
                    answered.incrementAndGet();
                }
            } catch (IOException refusedOrClosed) {
                if (stop.get()) {
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }
}
