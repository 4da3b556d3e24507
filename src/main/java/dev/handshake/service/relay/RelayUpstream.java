package dev.handshake.service.relay;

import dev.handshake.service.problem.ApiException;
import dev.handshake.service.problem.ProblemKind;
import dev.handshake.service.proxy.ProxyProperties;
import dev.handshake.service.proxy.UpstreamProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a relay session's application data goes: the upstream of the proxy route that the session's SNI selects (the
 * same routing as the TLS listener), never an address from the request. One TCP connection per exchange.
 */
class RelayUpstream {

    private static final Logger LOG = LoggerFactory.getLogger(RelayUpstream.class);

    /** A resolved destination. */
    record Target(String routeName, String host, int port, UpstreamProtocol protocol) {
    }

    private final ProxyProperties proxy;
    private final RecordsProperties settings;
    private final IntSupplier ownHttpPort;

    /** @param proxy null when the TLS proxy is disabled: then no session has a route */
    RelayUpstream(ProxyProperties proxy, RecordsProperties settings, IntSupplier ownHttpPort) {
        this.proxy = proxy;
        this.settings = settings;
        this.ownHttpPort = ownHttpPort;
    }

    /** Whether any route is configured; with none, relay sessions keep echoing (the pre-proxy behaviour). */
    boolean routed() {
        return proxy != null && (!proxy.routes().isEmpty() || proxy.defaultRoute() != null);
    }

    /** The route for a session's SNI, or a 409 problem when routes exist and none matches. */
    Target target(String serverName) {
        ProxyProperties.Route route = proxy.routeFor(serverName);
        if (route == null) {
            throw new ApiException(ProblemKind.NO_UPSTREAM_ROUTE, "No proxy route matches this session's server "
                    + "name and there is no default route.").with("serverName", serverName == null ? "" : serverName);
        }
        if (route.upstream().isEmpty()) {
            return new Target(route.name(), "127.0.0.1", ownHttpPort.getAsInt(), route.upstreamProtocol());
        }
        int colon = route.upstream().lastIndexOf(':');
        String host = route.upstream().substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Target(route.name(), host, Integer.parseInt(route.upstream().substring(colon + 1)),
                route.upstreamProtocol());
    }

    /** Sends {@code plaintext} and returns the reply; upstream trouble becomes a 400/502/504 problem. */
    byte[] exchange(Target target, byte[] plaintext) {
        Http1Framing.Request request = null;
        if (target.protocol() == UpstreamProtocol.HTTP1) {
            try {
                request = Http1Framing.completeRequest(plaintext);
            } catch (Http1Framing.FramingException e) {
                throw new ApiException(ProblemKind.MALFORMED_REQUEST, "The records must carry exactly one complete "
                        + "HTTP/1.1 request for this route: " + e.getMessage() + ". The session was not advanced; "
                        + "post the same records again with the rest of the request.").with("route", target.routeName());
            }
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(target.host(), target.port()),
                    (int) proxy.upstreamConnectTimeout().toMillis());
            socket.getOutputStream().write(plaintext);
            socket.getOutputStream().flush();
            if (request != null) {
                socket.setSoTimeout(millis(settings.timeout()));
                return Http1Framing.readResponse(new DeadlineInput(socket, deadline), request,
                        settings.maxResponseBytes());
            }
            return readTcp(socket, deadline);
        } catch (Http1Framing.UncheckedTooLarge | Http1Framing.TooLargeException e) {
            throw failed(ProblemKind.UPSTREAM_FAILED, target, "the upstream's response is larger than "
                    + settings.maxResponseBytes() + " bytes");
        } catch (SocketTimeoutException e) {
            throw failed(ProblemKind.UPSTREAM_TIMEOUT, target, "the upstream did not answer within "
                    + settings.timeout());
        } catch (IOException e) {
            throw failed(ProblemKind.UPSTREAM_FAILED, target, "upstream exchange failed: " + e.getMessage());
        }
    }

    /** Until the upstream half-closes, stays quiet for the quiet period, the size limit, or the overall timeout. */
    private byte[] readTcp(Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[16384];
        int limit = settings.maxResponseBytes();
        while (reply.size() < limit) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break; // the timeout bounds a chatty upstream too: what arrived so far is the reply
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(settings.quietPeriod().toMillis(), left / 1_000_000)));
            int n;
            try {
                n = in.read(buffer, 0, Math.min(buffer.length, limit - reply.size()));
            } catch (SocketTimeoutException quiet) {
                break;
            }
            if (n < 0) {
                break;
            }
            reply.write(buffer, 0, n);
        }
        return reply.toByteArray();
    }

    private static ApiException failed(ProblemKind kind, Target target, String detail) {
        LOG.info("relay upstream {} ({}:{}): {}", target.routeName(), target.host(), target.port(), detail);
        return new ApiException(kind, detail + ". The session was not advanced.").with("route", target.routeName());
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Socket input whose read timeout shrinks so that the whole response respects one deadline. */
    private static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInput(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
            this.deadline = deadline;
        }

        private void arm() throws IOException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("deadline");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        }

        @Override
        public int read() throws IOException {
            if (in.available() == 0) {
                arm();
            }
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (in.available() == 0) {
                arm();
            }
            return in.read(b, off, len);
        }
    }
}
