package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A NEAR RPC the keystore cannot read: its answer says which RPC and what went wrong, in words the
 * secret's caller can act on (an access condition's error reaches them), and never the JVM's
 * exception names.
 */
class RpcChainViewTest {
    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(int status, String body, boolean hang) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (hang) {
                    release.await();
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    void anAnswerThatIsNotJsonIsNamedWithItsStatus() throws Exception {
        String url = serve(502, "<html>Bad Gateway</html>", false);
        assertThatThrownBy(() -> new RpcChainView(url, Duration.ofSeconds(5)).balance("alice.near"))
                .isInstanceOf(ChainView.ViewFailedException.class)
                .hasMessage("NEAR RPC at " + url + " answered 502 without a JSON object");
    }

    @Test
    void anRpcThatDoesNotAnswerInTimeSaysSo() throws Exception {
        String url = serve(200, "{}", true);
        assertThatThrownBy(() -> new RpcChainView(url, Duration.ofMillis(200)).balance("alice.near"))
                .isInstanceOf(ChainView.ViewFailedException.class)
                .hasMessage("NEAR RPC at " + url + " did not answer within 200 ms");
    }

    @Test
    void anRpcNobodyListensOnIsUnreachable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        assertThatThrownBy(() -> new RpcChainView(url, Duration.ofSeconds(5)).viewCall("c.near", "m", new byte[0]))
                .isInstanceOf(ChainView.ViewFailedException.class)
                .hasMessage("NEAR RPC at " + url + " unreachable");
    }
}
