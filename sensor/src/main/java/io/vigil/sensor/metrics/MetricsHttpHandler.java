package io.vigil.sensor.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Answers one request at a time on the event loop: {@code /metrics}, {@code /health} (alive),
 * {@code /ready} (200, or 503 with one line per failing check), 404 for anything else and 405 for
 * methods other than GET and HEAD. A HEAD gets the headers a GET would, without the body.
 */
final class MetricsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String TEXT = "text/plain; charset=utf-8";

    private static final String STARTING = "capture: starting (setting up the run)\n";

    /** Null until the run is set up. */
    private final AtomicReference<SensorMetrics> run;

    MetricsHttpHandler(AtomicReference<SensorMetrics> run) {
        this.run = run;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n", false);
            return;
        }
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "only GET and HEAD\n", true);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        SensorMetrics metrics = run.get();
        switch (path) {
            case "/metrics":
                if (metrics == null) {
                    respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, STARTING, true);
                } else {
                    respond(ctx, request, HttpResponseStatus.OK, PrometheusText.CONTENT_TYPE, metrics.render(), true);
                }
                break;
            case "/health":
                respond(ctx, request, HttpResponseStatus.OK, TEXT, "ok\n", true);
                break;
            case "/ready":
                List<String> reasons = metrics == null ? List.of(STARTING.strip()) : metrics.notReadyReasons();
                if (reasons.isEmpty()) {
                    respond(ctx, request, HttpResponseStatus.OK, TEXT, "ready\n", true);
                } else {
                    respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT,
                        String.join("\n", reasons) + "\n", true);
                }
                break;
            default:
                respond(ctx, request, HttpResponseStatus.NOT_FOUND, TEXT, "not found: try /metrics, /health or "
                    + "/ready\n", true);
                break;
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                String contentType, String body, boolean keepAliveAllowed) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = HttpMethod.HEAD.equals(request.method());
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, content);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, contentType)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (status == HttpResponseStatus.METHOD_NOT_ALLOWED) {
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        boolean keepAlive = keepAliveAllowed && HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            if (!request.protocolVersion().isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A scraper that resets its connection is no news; log nothing, just drop the channel. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
