package dev.handshake.service.proxy;

import dev.handshake.service.proxy.ProxyConnections.Counter;
import dev.handshake.service.observability.HandshakeMetrics;
import dev.handshake.service.observability.KeyLogFile;
import dev.handshake.service.observability.KeyLogFormatter;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.wire.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.handshake.tls.SessionInfo;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.wire.AlertDescription;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminates TLS for one client connection: picks the route from the ClientHello's server name, drives that route's
 * engine (server role) over whole records from {@link TlsRecordFrameDecoder}, and relays plaintext to and from the
 * upstream through {@link UpstreamRelayHandler}.
 *
 * <p>Backpressure, as in Netty's HexDumpProxy: both channels have auto-read off; the client is read again only when
 * everything the last read produced has been written (to the upstream and to the client), and the upstream only when
 * its last chunk has been written to the client. Neither side can make the proxy hold more than one read.
 *
 * <p>Buffers: a client's ByteBuf is copied once into the engine's {@code byte[]} and released here; the engine's
 * output arrays are wrapped, not copied, and released by the transport once written. Upstream data is copied once
 * into a pooled buffer and encrypted there in place, the records the transport writes (see {@link #fromUpstream}).
 *
 * <p>Closing (RFC 5246 §7.2.1): the client's close_notify is answered by the engine in the same call; what came before
 * it is flushed to the upstream, then both are closed. The upstream's half-close becomes our close_notify while the
 * client may still send; the client's TCP half-close becomes the upstream's. A timeout, a fatal alert or the upstream
 * failing closes the client after the last record (close_notify or alert) is written.
 */
final class TlsTerminationHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsTerminationHandler.class);

    /** A user event the listener fires on shutdown: close with close_notify now. */
    static final Object CLOSE_GRACEFULLY = new Object();

    /** How long a closing connection keeps draining the client's input (see {@link #lingeringClose()}). */
    private static final long LINGER_MILLIS = 1000;

    private final ProxyRoutes routes;
    private final ProxyProperties properties;
    private final ProxyConnections connections;
    private final ProxyConnection info;
    private final TlsRecordFrameDecoder decoder;
    private final Class<? extends Channel> upstreamChannelType;

    private ChannelHandlerContext ctx;
    private ByteBuf hello;
    private ProxyRoute route;
    private TlsEngine engine;
    private boolean idleTimedOut;
    private ConnectionState state;
    private boolean established;
    private Channel upstream;
    private boolean upstreamConnected;
    private boolean relaying;
    private boolean upstreamClosing;
    private ByteBuf pendingToUpstream;
    private int pendingWrites;
    private boolean clientInputClosed;
    private boolean upstreamInputClosed;
    private boolean closing;
    private boolean lingering;
    /** Set when we decided to end the connection (alert, close_notify, timeout, shutdown), not when it broke. */
    private boolean endedByUs;
    private ScheduledFuture<?> handshakeTimer;
    private IdleTimeout idleTimeout;
    private long acceptedNanos = System.nanoTime();
    /** The furthest seed step the handshake reached, for the failure metrics and log line. */
    private SeedStep reached;
    /** With the key log on: the ClientHello and secrets seen until the handshake completes. */
    private List<HandshakeEvent> keyLogEvents;
    private HandshakeMetrics.Context metricsContext;

    private final ChannelFutureListener clientReadGate = future -> {
        pendingWrites--;
        idleTimeout.activity();
        if (!future.isSuccess()) {
            abort();
            return;
        }
        readClientWhenDrained();
    };

    /** Reads the upstream again once its last chunk reached the client: one listener for every such write. */
    private final ChannelFutureListener upstreamReadGate = future -> {
        idleTimeout.activity();
        if (!future.isSuccess()) {
            abort();
        } else if (upstream.isActive()) {
            upstream.read();
        }
    };

    TlsTerminationHandler(ProxyRoutes routes, ProxyProperties properties, ProxyConnections connections,
                          ProxyConnection info, TlsRecordFrameDecoder decoder, Class<? extends Channel> upstreamChannelType) {
        this.routes = routes;
        this.properties = properties;
        this.connections = connections;
        this.info = info;
        this.decoder = decoder;
        this.upstreamChannelType = upstreamChannelType;
        this.idleTimeout = new IdleTimeout(properties.idleTimeout().toNanos(), this::idleTimedOut);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        acceptedNanos = System.nanoTime();
        handshakeTimer = ctx.executor().schedule(this::handshakeTimedOut,
                properties.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        idleTimeout.start(ctx.executor());
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        idleTimeout.activity();
        ByteBuf records = (ByteBuf) msg;
        if (closing) {
            records.release();
            if (lingering) {
                ctx.read();
            }
            return;
        }
        if (engine == null) {
            routeByClientHello(records);
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(records);
        records.release();
        receive(bytes);
    }

    /** Collects records until the ClientHello is whole, then picks the route and starts its engine on them. */
    private void routeByClientHello(ByteBuf records) {
        if (hello == null) {
            hello = ctx.alloc().heapBuffer(records.readableBytes());
        }
        hello.writeBytes(records);
        records.release();
        int maxHello = routes.fallback().engine().config().maxHandshakeMessageLength();
        ClientHelloPeek.Result peeked = ClientHelloPeek.peek(hello, maxHello);
        if (peeked.outcome() == ClientHelloPeek.Outcome.NEED_MORE && !decoder.isDiscarding()
                // a ClientHello cut into tiny records costs 5 bytes of header each; beyond 4x, it is an attack
                && hello.readableBytes() <= 4 * maxHello) {
            ctx.read();
            return;
        }
        ProxyRoute chosen = peeked.outcome() == ClientHelloPeek.Outcome.FOUND ? routes.select(peeked.serverName())
                : routes.fallback();
        if (chosen == null) {
            // RFC 6066 §3: a server that does not recognise the name may end the handshake with unrecognized_name
            connections.count(Counter.UNRECOGNIZED_NAMES);
            log.debug("connection {}: no route for server name {}", info.id, peeked.serverName());
            info.serverName = peeked.serverName();
            connections.metrics().failed(metricsContext(), HandshakeMetrics.Outcome.ALERT,
                    AlertDescription.UNRECOGNIZED_NAME, true, SeedStep.CLIENT_HELLO, "no route for the server name",
                    sinceAccepted());
            release();
            closeAfter(ctx.writeAndFlush(plaintextAlert(AlertDescription.UNRECOGNIZED_NAME)));
            return;
        }
        route = chosen;
        engine = chosen.engine();
        state = engine.start().state();
        info.route = chosen.name();
        info.serverName = peeked.serverName();
        byte[] bytes = ByteBufUtil.getBytes(hello);
        hello.release();
        hello = null;
        receive(bytes);
        if (chosen.connectsEarly() && !closing && upstream == null) {
            // only once the engine has accepted the ClientHello: garbage never costs an upstream connection
            connectUpstream();
        }
    }

    /** Feeds client bytes to the engine and acts on the step. */
    private void receive(byte[] bytes) {
        info.bytesFromClient += bytes.length;
        Step step = engine.advance(state, bytes);
        state = step.state();
        observe(step);
        ChannelFuture toClient = writeToClient(step.outbound());
        if (!established && state.session() != null && !state.isFailed()) {
            onEstablished();
        }
        if (state.isFailed()) {
            if (!established) {
                connections.count(Counter.HANDSHAKE_FAILURES);
            }
            log.debug("connection {}: TLS failure {} ({})", info.id, state.failure().alert(), state.failure().reason());
            closeAfter(toClient);
            return;
        }
        byte[] plaintext = step.applicationData();
        if (plaintext.length > 0) {
            toUpstream(plaintext);
        }
        if (state.closeNotifyReceived()) {
            // our close_notify answer is in toClient; the upstream gets what preceded it, then its connection ends
            closeUpstreamAfterFlush();
            closeAfter(toClient);
            return;
        }
        if (decoder.isDiscarding()) {
            // the decoder refused a record header the engine accepted (a configured max-record-size below the RFC's)
            closeAfter(toClient);
            return;
        }
        readClientWhenDrained();
    }

    /** Metrics and the failure line for one engine step; with the key log on, keeps what the key log needs. */
    private void observe(Step step) {
        List<HandshakeEvent> events = step.events();
        if (events.isEmpty() || established && events.size() == 1
                && events.get(0) instanceof HandshakeEvent.ApplicationDataReceived) {
            // application data on an established connection: nothing to count, and no clock read or Duration per read
            return;
        }
        for (HandshakeEvent event : events) {
            if (reached == null || event.step().number() > reached.number()) {
                reached = event.step();
            }
            if (connections.keyLog() != null && !established && (event instanceof HandshakeEvent.SecretDerived
                    || event instanceof HandshakeEvent.MessageReceived)) {
                if (keyLogEvents == null) {
                    keyLogEvents = new ArrayList<>();
                }
                keyLogEvents.add(event);
            }
        }
        connections.metrics().observe(metricsContext(), events, state, sinceAccepted());
    }

    private HandshakeMetrics.Context metricsContext() {
        // made again only when the server name changed: observe runs for every read of an established connection
        if (metricsContext == null || metricsContext.serverName() != info.serverName) {
            metricsContext = new HandshakeMetrics.Context(HandshakeMetrics.Source.PROXY, "proxy", "proxy-" + info.id,
                    info.peer, info.serverName);
        }
        return metricsContext;
    }

    private Duration sinceAccepted() {
        return Duration.ofNanos(System.nanoTime() - acceptedNanos);
    }

    /** Appends this connection's SSLKEYLOGFILE lines once its handshake completed (rfc9850.txt). */
    private void writeKeyLog(SessionInfo session) {
        KeyLogFile file = connections.keyLog();
        if (file == null) {
            return;
        }
        List<HandshakeEvent> events = keyLogEvents == null ? List.of() : keyLogEvents;
        keyLogEvents = null;
        byte[] clientRandom = session.clientRandom() != null ? session.clientRandom()
                : KeyLogFormatter.clientRandom(events);
        if (clientRandom == null) {
            return;
        }
        if (session.version().equals(ProtocolVersion.TLS1_3)) {
            byte[] fromHello = KeyLogFormatter.clientRandom(events);
            file.append(KeyLogFormatter.tls13(fromHello != null ? fromHello : clientRandom, events));
        } else if (session.masterSecret() != null) {
            file.append(List.of(KeyLogFormatter.tls12(clientRandom, session.masterSecret().bytes())));
        }
    }

    private ChannelFuture writeToClient(byte[] records) {
        if (records.length == 0) {
            return null;
        }
        info.bytesToClient += records.length;
        pendingWrites++;
        ChannelFuture future = ctx.writeAndFlush(Unpooled.wrappedBuffer(records));
        future.addListener(clientReadGate);
        return future;
    }

    private void toUpstream(byte[] plaintext) {
        info.bytesToUpstream += plaintext.length;
        ByteBuf buffer = Unpooled.wrappedBuffer(plaintext);
        if (relaying) {
            pendingWrites++;
            upstream.writeAndFlush(buffer).addListener(clientReadGate);
        } else {
            // the upstream is still connecting: keep this one read's worth and read no more until it is written
            pendingToUpstream = pendingToUpstream == null ? buffer : Unpooled.wrappedBuffer(pendingToUpstream, buffer);
        }
    }

    private void readClientWhenDrained() {
        if (pendingWrites == 0 && pendingToUpstream == null && !closing && !clientInputClosed
                && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    private void onEstablished() {
        established = true;
        handshakeTimer.cancel(false);
        connections.count(Counter.HANDSHAKES_COMPLETED);
        SessionInfo session = state.session();
        writeKeyLog(session);
        info.version = ProxyProtocolV2.openSslVersionName(session.version().code());
        info.cipherSuite = session.cipherSuite().name();
        info.applicationProtocol = session.applicationProtocol();
        if (session.serverName() != null) {
            info.serverName = session.serverName();
        }
        if (!session.peerCertificates().isEmpty()) {
            info.clientCertificateSubject = subject(session.peerCertificates().get(0));
        }
        info.phase = ProxyConnection.Phase.RELAYING;
        if (upstream == null) {
            connectUpstream();
        } else if (upstreamConnected) {
            startRelay();
        }
    }

    private void connectUpstream() {
        Bootstrap bootstrap = new Bootstrap()
                .group(ctx.channel().eventLoop())
                .channel(upstreamChannelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.upstreamConnectTimeout().toMillis())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                // TCP_NODELAY is Netty's default for socket channels (see ProxyServer): not set again
                .handler(new UpstreamRelayHandler(this));
        long connectStarted = System.nanoTime();
        ChannelFuture connect = bootstrap.connect(route.upstreamHost(), route.upstreamPort());
        upstream = connect.channel();
        connect.addListener((ChannelFutureListener) future -> {
            connections.upstreamConnectTimer(route.name(), future.isSuccess())
                    .record(Duration.ofNanos(System.nanoTime() - connectStarted));
            if (future.isSuccess()) {
                upstreamConnected = true;
                if (closing) {
                    upstream.close();
                } else if (established) {
                    startRelay();
                }
            } else {
                upstreamFailed(future.cause());
            }
        });
    }

    private void upstreamFailed(Throwable cause) {
        connections.count(Counter.UPSTREAM_FAILURES);
        log.info("connection {}: upstream {}:{} of route '{}' unavailable: {}", info.id, route.upstreamHost(),
                route.upstreamPort(), route.name(), cause == null ? "closed" : cause.getMessage());
        if (closing) {
            return;
        }
        if (!established) {
            connections.metrics().failed(metricsContext(), HandshakeMetrics.Outcome.ALERT,
                    AlertDescription.INTERNAL_ERROR, true, reached, "upstream of route '" + route.name()
                            + "' unavailable", sinceAccepted());
            closeAfter(alertInternalError());
        } else {
            closeGracefully();
        }
    }

    private void startRelay() {
        relaying = true;
        if (route.proxyProtocol()) {
            upstream.write(proxyHeader());
        }
        if (pendingToUpstream != null) {
            ByteBuf pending = pendingToUpstream;
            pendingToUpstream = null;
            pendingWrites++;
            upstream.writeAndFlush(pending).addListener(clientReadGate);
        } else {
            upstream.flush();
        }
        if (clientInputClosed) {
            shutdownUpstreamOutput();
        }
        upstream.read();
    }

    private ByteBuf proxyHeader() {
        SessionInfo session = state.session();
        String commonName = info.clientCertificateSubject == null ? null : commonName(session.peerCertificates().get(0));
        ProxyProtocolV2.TlsInfo tls = new ProxyProtocolV2.TlsInfo(
                ProxyProtocolV2.openSslVersionName(session.version().code()), session.cipherSuite().name(),
                info.serverName, session.applicationProtocol(), commonName, !session.peerCertificates().isEmpty());
        return ProxyProtocolV2.header(upstream.alloc(), (InetSocketAddress) ctx.channel().remoteAddress(),
                (InetSocketAddress) ctx.channel().localAddress(), tls);
    }

    // ---- from the upstream (same event loop) ----

    void fromUpstream(ByteBuf data) {
        if (closing || state.closeNotifySent() || state.isFailed()) {
            data.release();
            return;
        }
        int length = data.readableBytes();
        info.bytesFromUpstream += length;
        // one copy from the upstream's buffer into a pooled heap buffer, encrypted there in place: Corretto's AES-GCM
        // works on arrays (it would copy a direct buffer into a new array and back), the transport copies it out once
        int capacity = engine.sendCapacity(state, length);
        ByteBuf records = ctx.alloc().heapBuffer(capacity);
        ByteBuffer out = records.nioBuffer(records.writerIndex(), capacity);
        Step step;
        try {
            step = engine.send(state, data.nioBuffer(), out);
        } catch (IllegalStateException e) {
            // the engine's state does not allow application data now (it never should here): end cleanly
            log.debug("connection {}: cannot send upstream data: {}", info.id, e.getMessage());
            records.release();
            closeGracefully();
            return;
        } finally {
            data.release();
        }
        state = step.state();
        records.writerIndex(records.writerIndex() + out.position());
        info.bytesToClient += records.readableBytes() + step.outbound().length;
        if (step.outbound().length > 0) {
            // a failure's alert follows whatever records were sealed before it
            records = Unpooled.wrappedBuffer(records, Unpooled.wrappedBuffer(step.outbound()));
        }
        ctx.writeAndFlush(records).addListener(upstreamReadGate);
    }

    void upstreamInputClosed() {
        upstreamInputClosed = true;
        // the upstream has said all it will say: so do we (RFC 5246 §7.2.1); the client may still send until it answers
        if (established && !state.closeNotifySent() && !state.isFailed() && !closing) {
            Step step = engine.close(state);
            state = step.state();
            ChannelFuture sent = writeToClient(step.outbound());
            if (state.isTerminal() || clientInputClosed) {
                // nothing can flow either way any more
                closeUpstreamAfterFlush();
                closeAfter(sent);
            }
        }
    }

    void upstreamClosed() {
        if (closing || upstreamClosing) {
            return;
        }
        if (!established) {
            upstreamFailed(null);
        } else {
            closeGracefully();
        }
    }

    // ---- events and closing ----

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            clientInputClosed = true;
            if (!established || closing) {
                ctx.close();
            } else if (upstreamInputClosed || state.closeNotifySent()) {
                // the other direction has ended already: nothing can flow any more
                closeUpstreamAfterFlush();
                closeAfter(null);
            } else if (relaying) {
                shutdownUpstreamOutput();
            }
        } else if (evt == CLOSE_GRACEFULLY) {
            connections.count(Counter.CLOSED_BY_SHUTDOWN);
            closeGracefully();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    /** No traffic either way for the idle timeout (and again every timeout after, while nothing moves). */
    private void idleTimedOut() {
        if (closing && !lingering) {
            // our last records have not been written for a whole idle period: the client stopped reading
            ctx.close();
            return;
        }
        if (closing || idleTimedOut) {
            // fires again while a close is lingering: one timeout, counted once
            return;
        }
        idleTimedOut = true;
        connections.count(Counter.IDLE_TIMEOUTS);
        log.debug("connection {}: idle timeout", info.id);
        closeGracefully();
    }

    private void handshakeTimedOut() {
        if (!established && !closing && ctx.channel().isActive()) {
            connections.count(Counter.HANDSHAKE_TIMEOUTS);
            connections.metrics().failed(metricsContext(), HandshakeMetrics.Outcome.TIMEOUT, null, true, reached,
                    "handshake timeout", sinceAccepted());
            log.debug("connection {}: handshake timeout", info.id);
            endedByUs = true;
            abort();
        }
    }

    /** close_notify when the connection is established, then close; otherwise just close. */
    void closeGracefully() {
        if (closing) {
            return;
        }
        ChannelFuture last = null;
        if (established && !state.closeNotifySent() && !state.isFailed()) {
            Step step = engine.close(state);
            state = step.state();
            last = writeToClient(step.outbound());
        }
        closeUpstreamAfterFlush();
        closeAfter(last);
    }

    private void closeAfter(ChannelFuture last) {
        closing = true;
        endedByUs = true;
        info.phase = ProxyConnection.Phase.CLOSING;
        if (last == null && ctx.channel().isActive()) {
            // records to the client may still be queued (a slow reader, the upstream having closed after its last
            // chunk): shutting the output down now would discard them, so wait until everything before is written
            last = ctx.writeAndFlush(Unpooled.EMPTY_BUFFER);
        }
        if (last == null) {
            lingeringClose();
        } else {
            last.addListener(future -> lingeringClose());
        }
    }

    /**
     * Sends FIN after our last record and reads (and drops) what the client still sends, for a short while, before
     * closing. Closing a socket with unread input makes the kernel send RST, which can overtake our alert or
     * close_notify in the client's receive path: it would see "connection reset" instead of the reason.
     */
    private void lingeringClose() {
        Channel channel = ctx.channel();
        if (lingering || !channel.isActive() || clientInputClosed || !(channel instanceof DuplexChannel duplex)) {
            ctx.close();
            return;
        }
        lingering = true;
        duplex.shutdownOutput().addListener(future -> {
            if (!future.isSuccess()) {
                ctx.close();
            }
        });
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    private void abort() {
        closing = true;
        ctx.close();
    }

    private void closeUpstreamAfterFlush() {
        if (upstream != null && !upstreamClosing) {
            upstreamClosing = true;
            if (relaying) {
                upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                // a stalled upstream must not keep its connection forever
                Channel stalled = upstream;
                upstream.eventLoop().schedule(() -> {
                    stalled.close();
                }, properties.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                upstream.close();
            }
        }
    }

    private void shutdownUpstreamOutput() {
        Channel channel = upstream;
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(future -> {
            if (channel instanceof DuplexChannel duplex && channel.isActive()) {
                duplex.shutdownOutput();
            }
        });
    }

    private ChannelFuture alertInternalError() {
        if (state == null || engine == null) {
            // no ClientHello yet, so no engine: nothing is protected, a plaintext alert is what RFC 5246 §7.2 sends
            return ctx.writeAndFlush(plaintextAlert(AlertDescription.INTERNAL_ERROR));
        }
        // the engine protects the alert with the current keys (TLS 1.3 encrypts from ServerHello on)
        Step step = engine.abort(state, AlertDescription.INTERNAL_ERROR, "upstream unavailable");
        state = step.state();
        return writeToClient(step.outbound());
    }

    /** RFC 5246 §7.2: a fatal alert record before any keys are in use. */
    private static ByteBuf plaintextAlert(AlertDescription description) {
        return Unpooled.wrappedBuffer(new byte[] {21, 3, 3, 0, 2, 2, (byte) description.code()});
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!endedByUs && established && !state.closeNotifyReceived()) {
            // the client went away without close_notify (reset, or a write to it failed): data in flight is lost
            connections.count(Counter.CLIENT_RESETS);
        }
        if (!established && !endedByUs && (state == null || !state.isFailed())) {
            // the client went away mid-handshake (or connected and sent nothing): neither alert nor timeout
            connections.metrics().failed(metricsContext(), HandshakeMetrics.Outcome.CLOSED, null, false, reached,
                    "client closed the connection during the handshake", sinceAccepted());
        }
        closing = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        idleTimeout.cancel();
        if (upstream != null && !upstreamClosing) {
            upstreamClosing = true;
            upstream.close();
        }
        release();
        connections.closed(info);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // every connection a client resets ends here (openssl s_time does, with our NewSessionTicket unread):
        // the message is built only when it is logged
        if (log.isDebugEnabled()) {
            log.debug("connection {}: {}", info.id, cause.toString());
        }
        abort();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (hello != null) {
            hello.release();
            hello = null;
        }
        if (pendingToUpstream != null) {
            pendingToUpstream.release();
            pendingToUpstream = null;
        }
    }

    private static String subject(byte[] der) {
        try {
            return certificate(der).getSubjectX500Principal().getName();
        } catch (CertificateException e) {
            return null;
        }
    }

    private static String commonName(byte[] der) {
        try {
            X500Name name = X500Name.getInstance(certificate(der).getSubjectX500Principal().getEncoded());
            RDN[] cn = name.getRDNs(BCStyle.CN);
            return cn.length == 0 ? null : IETFUtils.valueToString(cn[0].getFirst().getValue());
        } catch (CertificateException e) {
            return null;
        }
    }

    private static X509Certificate certificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
