package dev.handshake.service.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The TCP TLS termination listener: a Netty server whose every connection is terminated by our engine and relayed to
 * its route's upstream. It starts after the web server (so the embedded default route's upstream, our own HTTP port,
 * is listening) and stops before it: stop accepting, let open connections finish for the drain time, then send each
 * remaining one close_notify and close it.
 */
final class ProxyServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    /** After the web server's start/stop lifecycle (DEFAULT_PHASE - 2048) and graceful shutdown (- 1024). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final ProxyProperties properties;
    private final Supplier<ProxyRoutes> routesSource;
    private final ProxyConnections connections;

    private volatile boolean running;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;
    private ChannelGroup clients;
    private volatile ProxyRoutes routes;
    private volatile int boundPort = -1;
    private String transport;

    ProxyServer(ProxyProperties properties, Supplier<ProxyRoutes> routesSource, ProxyConnections connections) {
        this.properties = properties;
        this.routesSource = routesSource;
        this.connections = connections;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        routes = routesSource.get();
        ProxyTransport chosen = properties.transport().resolve();
        IoHandlerFactory io = chosen.newIoHandlerFactory();
        Class<? extends SocketChannel> socketType = chosen.socketChannelType();
        transport = chosen.displayName();
        bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        workerGroup = new MultiThreadIoEventLoopGroup(properties.eventLoops(), io);
        clients = new DefaultChannelGroup("proxy-clients", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(chosen.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                // no TCP_NODELAY option: Netty turns it on in every socket channel's config (epoll and NIO alike;
                // NettySocketDefaultsTest), and setting it again cost a setsockopt per connection
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        InetSocketAddress remote = channel.remoteAddress();
                        ProxyConnection info = connections.open(remote == null ? "unknown"
                                : remote.getAddress().getHostAddress() + ":" + remote.getPort(), properties.maxConnections());
                        if (info == null) {
                            // over the limit: refuse at once, before any byte is read or buffered
                            channel.close();
                            return;
                        }
                        clients.add(channel);
                        TlsRecordFrameDecoder decoder = new TlsRecordFrameDecoder(properties.maxRecordSize());
                        // no IdleStateHandler: the termination handler keeps the idle timeout (IdleTimeout)
                        channel.pipeline()
                                .addLast("records", decoder)
                                // the routes current at accept time: a rotated certificate applies to new connections
                                .addLast("tls", new TlsTerminationHandler(routes, properties, connections, info,
                                        decoder, socketType));
                    }
                });
        try {
            serverChannel = bootstrap.bind(properties.bindAddress(), properties.port()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownGroups();
            throw new IllegalStateException("TLS proxy cannot listen on " + properties.bindAddress() + ":"
                    + properties.port(), e);
        }
        boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        running = true;
        log.info("TLS proxy listening on {}:{} ({}, {} event loops), routes: {}{}", properties.bindAddress(), boundPort,
                transport, properties.eventLoops(),
                routes.routes().stream().map(r -> r.name() + " -> " + r.upstreamHost() + ":" + r.upstreamPort()).toList(),
                routes.defaultRoute() == null ? "" : ", default -> " + routes.defaultRoute().upstreamHost() + ":"
                        + routes.defaultRoute().upstreamPort());
    }

    /**
     * Rebuilds the routes (an SSL bundle or the ticket keys rotated): connections accepted from now on use the new
     * certificates and keys; open ones keep theirs. A failure keeps the previous routes and is logged, never
     * half-applied.
     */
    void reloadRoutes(String reason) {
        if (!running) {
            return;
        }
        try {
            routes = routesSource.get();
            log.info("TLS proxy routes reloaded: {}", reason);
        } catch (RuntimeException e) {
            log.error("TLS proxy keeps its previous routes: the updated configuration is unusable ({})", e.getMessage());
        }
    }

    ProxyRoutes routes() {
        return routes;
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public synchronized void stop(Runnable callback) {
        if (!running) {
            callback.run();
            return;
        }
        running = false;
        serverChannel.close().syncUninterruptibly();
        Thread drainer = new Thread(() -> {
            try {
                drain();
            } finally {
                shutdownGroups();
                callback.run();
            }
        }, "proxy-drain");
        drainer.start();
    }

    /** Waits up to the drain timeout for connections to end on their own, then closes the rest with close_notify. */
    private void drain() {
        long deadline = System.nanoTime() + properties.drainTimeout().toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
        }
        if (!clients.isEmpty()) {
            log.info("TLS proxy: closing {} connections still open after the drain time", clients.size());
            for (Channel client : clients) {
                client.pipeline().fireUserEventTriggered(TlsTerminationHandler.CLOSE_GRACEFULLY);
            }
            long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!clients.isEmpty() && System.nanoTime() < closeDeadline) {
                sleep(20);
            }
            clients.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    private void shutdownGroups() {
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The port actually bound (differs from the configured one when that is 0); -1 before start. */
    int port() {
        return boundPort;
    }

    String transport() {
        return transport;
    }

    /** The event loop threads serving client connections while running. */
    int eventLoops() {
        return workerGroup instanceof MultithreadEventExecutorGroup group ? group.executorCount() : 0;
    }

    ProxyConnections connections() {
        return connections;
    }
}
