package dev.outlayer.bench.targetsystem.http.rpc;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;

/**
 * The NEAR RPC emulator's listener, as a nearcore node serves it: JSON-RPC on {@code POST} (any
 * path), and {@code GET /status}, {@code /health}, {@code /network_info}. JSON-RPC errors are the
 * emulator's own answers in nearcore's shapes; only what fails below JSON-RPC (a body over the
 * limit: 413, an unreadable body: 400, an unknown path or method) gets the usual
 * {@code {"error","status"}} body.
 */
public final class NearRpcHandler implements HttpHandler {
    private final NearRpcEmulator emulator;
    private final BodyReader bodies;
    private final BodyReader.Continuation<byte[]> onBody = this::call;

    /** @param bodies the body limit ({@code --max-body-bytes}) */
    public NearRpcHandler(NearRpcEmulator emulator, BodyReader bodies) {
        this.emulator = emulator;
        this.bodies = bodies;
    }

    /** The listener's root: nearcore's CORS, then the emulator, behind the one {@link ErrorHandler}. */
    public HttpHandler handler() {
        return new ErrorHandler(new NearcoreCors(this));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        HttpString method = exchange.getRequestMethod();
        if (method.equals(Methods.POST)) {
            bodies.bytes(exchange, onBody);
        } else if (method.equals(Methods.GET) || method.equals(Methods.HEAD)) {
            switch (exchange.getRelativePath()) {
                case "/status" -> Responses.json(exchange, 200, emulator.status(rpcAddr(exchange)));
                case "/health" -> Responses.json(exchange, 200, NullNode.getInstance());
                case "/network_info" -> Responses.json(exchange, 200, emulator.networkInfo());
                default ->
                    Responses.error(
                            exchange,
                            404,
                            "no such path; NEAR JSON-RPC is POST, plus GET /status, /health, /network_info");
            }
        } else {
            Responses.error(exchange, 405, "NEAR JSON-RPC accepts POST (and GET /status, /health, /network_info)");
        }
    }

    /** A view call may run contract code: JSON-RPC runs off the I/O threads. */
    private void call(HttpServerExchange exchange, byte[] body) {
        ErrorHandler.dispatch(exchange, () -> {
            long start = System.nanoTime();
            NearRpcEmulator.Response response = emulator.handle(body, rpcAddr(exchange));
            ServerTiming.of(exchange).since("rpc", start);
            Responses.json(exchange, response.httpStatus(), response.body());
        });
    }

    /** The node's own address as {@code status} reports it ({@code rpc_addr}). */
    private static String rpcAddr(HttpServerExchange exchange) {
        InetSocketAddress local = exchange.getDestinationAddress();
        return local == null ? null : local.getHostString() + ":" + local.getPort();
    }
}
