package dev.outlayer.bench.targetsystem.http.proxy;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An experiment for issue 14, not part of the target system: the /near-rpc forward on Netty's native
 * epoll transport, to learn whether a leaner HTTP path than Undertow's closes the gap to nginx. It
 * does what nginx does in bench/proxy-throughput.sh plus the proxy's envelope scan: scan the body
 * ({@link JsonRpcEnvelope}, hence this package), take a token from a bucket4j bucket per API key,
 * forward over a keep-alive connection of the caller's event loop, answer with the upstream's status,
 * headers and body. No Server-Timing, metrics, timeouts or JSON-RPC error answers (a bad call or an
 * unreachable upstream closes the connection).
 */
public final class NettyProxy {
    private static final AttributeKey<Channel> CALLER = AttributeKey.valueOf("caller");
    private static final Set<String> NOT_FORWARDED =
            Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "host", "x-api-key", "expect");
    /** Each event loop's idle upstream connections, touched only on that loop's thread. */
    private static final ThreadLocal<ArrayDeque<Channel>> IDLE = ThreadLocal.withInitial(ArrayDeque::new);
    /** The unlimited tier, as nginx's limit_req zone in the benchmark: a million a second per key. */
    private static final ConcurrentHashMap<String, Bucket> BUCKETS = new ConcurrentHashMap<>();

    private static URI upstream;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        upstream = URI.create(args[1]);
        var loops = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        new ServerBootstrap()
                .group(loops)
                .channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast(new HttpServerCodec(), new HttpObjectAggregator(2 << 20), new Caller());
                    }
                })
                .bind("127.0.0.1", port)
                .sync();
        System.out.println("netty-proxy listening on 127.0.0.1:" + port + ", upstream " + upstream);
    }

    private static final class Caller extends SimpleChannelInboundHandler<FullHttpRequest> {
        Caller() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
            byte[] body = ByteBufUtil.getBytes(request.content());
            String key = request.headers().get("X-API-Key", "");
            Bucket bucket = BUCKETS.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(Bandwidth.builder()
                            .capacity(1_000_000)
                            .refillGreedy(1_000_000, Duration.ofSeconds(1))
                            .build())
                    .build());
            if (!JsonRpcEnvelope.scan(body).valid() || !bucket.tryConsume(1)) {
                request.release();
                var refused = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1,
                        HttpResponseStatus.BAD_REQUEST,
                        Unpooled.copiedBuffer("refused", StandardCharsets.UTF_8));
                context.writeAndFlush(refused).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            var forward = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1, HttpMethod.POST, upstream.getRawPath(), request.content());
            request.headers().forEach(header -> {
                if (!NOT_FORWARDED.contains(header.getKey().toLowerCase())) {
                    forward.headers().add(header.getKey(), header.getValue());
                }
            });
            forward.headers().set(HttpHeaderNames.HOST, upstream.getRawAuthority());
            forward.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            Channel idle = IDLE.get().pollLast();
            if (idle != null && idle.isActive()) {
                idle.attr(CALLER).set(context.channel());
                idle.writeAndFlush(forward);
                return;
            }
            new Bootstrap()
                    .group(context.channel().eventLoop())
                    .channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline()
                                    .addLast(new HttpClientCodec(), new HttpObjectAggregator(64 << 20), new Upstream());
                        }
                    })
                    .connect(upstream.getHost(), upstream.getPort())
                    .addListener((ChannelFuture connected) -> {
                        if (!connected.isSuccess()) {
                            forward.release();
                            context.close();
                            return;
                        }
                        connected.channel().attr(CALLER).set(context.channel());
                        connected.channel().writeAndFlush(forward);
                    });
        }
    }

    private static final class Upstream extends SimpleChannelInboundHandler<FullHttpResponse> {
        Upstream() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
            Channel caller = context.channel().attr(CALLER).getAndSet(null);
            IDLE.get().addLast(context.channel());
            var answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), response.content());
            response.headers().forEach(header -> {
                if (!NOT_FORWARDED.contains(header.getKey().toLowerCase())) {
                    answer.headers().add(header.getKey(), header.getValue());
                }
            });
            answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            caller.writeAndFlush(answer);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            Channel caller = context.channel().attr(CALLER).getAndSet(null);
            if (caller != null) {
                caller.close();
            }
        }
    }
}
