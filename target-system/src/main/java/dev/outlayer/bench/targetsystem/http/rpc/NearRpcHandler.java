package dev.outlayer.bench.targetsystem.http.rpc;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

    /**
     * A view call may run contract code: JSON-RPC runs off the I/O threads. A transaction waiting for
     * its {@code wait_until} gives the worker back: the exchange stays open and is answered from its
     * I/O thread when the outcome (or the timeout) arrives, so that long waits never keep other calls
     * waiting for a worker.
     */
    private void call(HttpServerExchange exchange, byte[] body) {
        ErrorHandler.dispatch(exchange, () -> {
            long start = System.nanoTime();
            CompletableFuture<NearRpcEmulator.Response> answer = emulator.handleAsync(body, rpcAddr(exchange));
            if (answer.isDone()) {
                respond(exchange, answer.join(), start);
                return;
            }
            answer.whenComplete((response, failure) -> exchange.getIoThread()
                    .execute(() -> Connectors.executeRootHandler(
                            ex -> {
                                if (failure != null) {
                                    // only an Error gets here: the emulator answers every other failure
                                    ErrorHandler.answer(
                                            ex,
                                            failure instanceof CompletionException && failure.getCause() != null
                                                    ? failure.getCause()
                                                    : failure);
                                } else {
                                    ErrorHandler.guard(ex, () -> respond(ex, response, start));
                                }
                            },
                            exchange)));
        });
    }

    private static void respond(HttpServerExchange exchange, NearRpcEmulator.Response response, long start) {
        ServerTiming.of(exchange).since("rpc", start);
        Responses.json(exchange, response.httpStatus(), response.body());
    }

    /** The node's own address as {@code status} reports it ({@code rpc_addr}). */
    private static String rpcAddr(HttpServerExchange exchange) {
        InetSocketAddress local = exchange.getDestinationAddress();
        return local == null ? null : local.getHostString() + ":" + local.getPort();
    }
}
