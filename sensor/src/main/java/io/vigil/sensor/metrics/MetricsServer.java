package io.vigil.sensor.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sensor's HTTP endpoint: {@code /metrics}, {@code /health} and {@code /ready}. One NIO event
 * loop on a daemon thread serves both the accepts and the requests; a scrape every few seconds
 * needs no more, and it must not take a core from the pipeline.
 */
public final class MetricsServer implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 65_536;

    private final EventLoopGroup group;
    private final Channel channel;
    private final AtomicReference<SensorMetrics> metrics;

    private MetricsServer(EventLoopGroup group, Channel channel, AtomicReference<SensorMetrics> metrics) {
        this.group = group;
        this.channel = channel;
        this.metrics = metrics;
    }

    /** Binds and serves the given run's metrics at once. */
    public static MetricsServer start(String bindAddress, int port, SensorMetrics metrics) throws IOException {
        MetricsServer server = start(bindAddress, port);
        server.serve(metrics);
        return server;
    }

    /** From now on /metrics and /ready report this run. */
    public void serve(SensorMetrics run) {
        metrics.set(run);
    }

    /**
     * Binds and starts serving; port 0 picks a free port ({@link #port()} tells which). Until {@link #serve}
     * is called, /health answers and /metrics and /ready say the sensor is starting.
     *
     * @throws IOException with a one-line reason when the address cannot be bound
     */
    public static MetricsServer start(String bindAddress, int port) throws IOException {
        AtomicReference<SensorMetrics> metrics = new AtomicReference<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vigil-http", true),
            NioIoHandler.newFactory());
        try {
            ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(new HttpServerCodec());
                        p.addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES));
                        p.addLast(new MetricsHttpHandler(metrics));
                    }
                });
            Channel channel = b.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
            return new MetricsServer(group, channel, metrics);
        } catch (InterruptedException e) {
            group.shutdownGracefully();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + bindAddress + ":" + port);
        } catch (Exception e) {
            // sync() rethrows the bind failure (address in use, no such address) undeclared, checked or not.
            group.shutdownGracefully();
            throw new IOException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The port actually bound (the chosen one when started with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
