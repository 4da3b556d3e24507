package dev.handshake.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * A {@link TlsPeer} over a {@link SSLEngine}: the JDK's own JSSE (SunJSSE) or Bouncy Castle JSSE (bctls), chosen with
 * {@link Builder#bouncyCastle()}. Build one with {@link #client()} or {@link #server()}.
 *
 * <h2>Legacy algorithms</h2>
 * The JDK disables 3DES, RC4 and DES through the security property {@code jdk.tls.disabledAlgorithms} (newer JDKs
 * also list {@code TLS_RSA_*} there), and both SunJSSE and Bouncy Castle JSSE read that property <em>once</em>, when
 * their constraint classes initialise, i.e. when the first {@code SSLContext} of the JVM is built. So
 * {@link LegacyAlgorithmsSessionListener} (a JUnit launcher listener, registered in {@code META-INF/services}) calls
 * {@link #allowLegacyAlgorithms()} before any test runs, and this class's static initialiser calls it again for runs
 * outside the JUnit launcher. It removes exactly {@code RC4}, {@code DES},
 * {@code 3DES_EDE_CBC} and {@code TLS_RSA_*} from the property and leaves everything else (SSLv3, TLS 1.0/1.1, anon,
 * NULL, small keys) disabled. Consequences, accepted for a test JVM:
 * <ul>
 * <li>It works only if it happens before anything else in the JVM creates an SSLContext. A peer built with
 *     {@link Builder#cipherSuites} naming a legacy suite checks that the suite is actually supported and fails with an
 *     explanation otherwise, rather than failing the handshake obscurely.</li>
 * <li>SunJSSE's <em>default</em> enabled suites then include the 3DES suites (at the lowest priority; RC4 is never
 *     enabled by default). Tests that care about what a peer offers set the suites explicitly.</li>
 * </ul>
 * JSSE also still reorders {@code jdk.tls.legacyAlgorithms} to the end of its preference list; that only matters when
 * both sides offer better suites.
 */
public final class JdkTlsPeer implements TlsPeer {

    /** The tokens removed from {@code jdk.tls.disabledAlgorithms}; see the class comment. */
    public static final List<String> RE_ENABLED = List.of("RC4", "DES", "3DES_EDE_CBC", "TLS_RSA_*");

    private static final String DISABLED_ALGORITHMS = "jdk.tls.disabledAlgorithms";

    static {
        allowLegacyAlgorithms();
    }

    /**
     * Removes {@link #RE_ENABLED} from {@code jdk.tls.disabledAlgorithms}. Idempotent; effective only before the JVM's
     * first SSLContext (of either provider) is created.
     */
    public static synchronized void allowLegacyAlgorithms() {
        String current = Security.getProperty(DISABLED_ALGORITHMS);
        if (current == null) {
            return;
        }
        String relaxed = Arrays.stream(current.split(","))
                .map(String::trim)
                .filter(token -> !token.isEmpty() && !RE_ENABLED.contains(token))
                .collect(Collectors.joining(", "));
        Security.setProperty(DISABLED_ALGORITHMS, relaxed);
    }

    /** Which JSSE implementation runs the peer. */
    public enum Implementation { SUN_JSSE, BC_JSSE }

    private static final class BcJsse {
        // Built once: the providers' first use is slow (STACK.md trap 8). Bouncy Castle's own JCA provider does the
        // crypto (BC JSSE asks for SecureRandom "DEFAULT", which only it provides), which also makes this peer a
        // second, independent implementation of the primitives, not just of the protocol.
        static final Provider PROVIDER = new BouncyCastleJsseProvider(new BouncyCastleProvider());
        // BC JSSE logs every connection at INFO through java.util.logging; a test report needs only warnings. The
        // logger is held here because java.util.logging keeps only weak references to configured loggers.
        static final java.util.logging.Logger LOG = quiet(java.util.logging.Logger.getLogger("org.bouncycastle.jsse"));

        private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
            logger.setLevel(java.util.logging.Level.WARNING);
            return logger;
        }
    }

    public static Builder client() {
        return new Builder(true);
    }

    public static Builder server() {
        return new Builder(false);
    }

    /** Options for a peer. Anything not set keeps the implementation's default. */
    public static final class Builder {
        private List<String> namedGroups;
        private final boolean clientMode;
        private Implementation implementation = Implementation.SUN_JSSE;
        private List<String> protocols;
        private List<String> cipherSuites;
        private KeyManagerFactory keyManagers;
        private TrustManagerFactory trustManagers;
        private TestPki.Identity identity;
        private KeyStore trustStore;
        private boolean needClientAuth;
        private boolean wantClientAuth;
        private String serverName;
        private String endpointIdentification;
        private String peerHost = "localhost";
        private int peerPort = 443;
        private SSLContext context;

        private Builder(boolean clientMode) {
            this.clientMode = clientMode;
        }

        /** Run on Bouncy Castle JSSE instead of SunJSSE. */
        public Builder bouncyCastle() {
            this.implementation = Implementation.BC_JSSE;
            return this;
        }

        public Builder implementation(Implementation implementation) {
            this.implementation = implementation;
            return this;
        }

        /** JSSE protocol names, e.g. {@code "TLSv1.2"}, {@code "TLSv1.3"}. */
        public Builder protocols(String... protocols) {
            this.protocols = List.of(protocols);
            return this;
        }

        /** IANA cipher suite names, in preference order. */
        public Builder cipherSuites(String... suites) {
            this.cipherSuites = List.of(suites);
            return this;
        }

        /** Present this identity, through the chosen implementation's own key manager factory. */
        public Builder identity(TestPki.Identity identity) {
            this.identity = identity;
            return this;
        }

        /** Trust exactly the certificates in this store, through the implementation's own trust manager factory. */
        public Builder trust(KeyStore trustStore) {
            this.trustStore = trustStore;
            return this;
        }

        /** Trust {@link TestPki#rootCa()} only. */
        public Builder trustTestRoot() {
            return trust(TestPki.trustStore());
        }

        /** Ready-made key managers; they must suit the implementation (SunJSSE's do not suit BC JSSE). */
        public Builder keyManagers(KeyManagerFactory keyManagers) {
            this.keyManagers = keyManagers;
            return this;
        }

        /** Ready-made trust managers; they must suit the implementation (SunJSSE's do not suit BC JSSE). */
        public Builder trustManagers(TrustManagerFactory trustManagers) {
            this.trustManagers = trustManagers;
            return this;
        }

        /** Server: require a client certificate. */
        /** Bouncy Castle JSSE only (SSLParameters.setNamedGroups needs JDK 20): the key-exchange groups, in order. */
        public Builder namedGroups(String... groups) {
            this.namedGroups = List.of(groups);
            return this;
        }

        public Builder needClientAuth() {
            this.needClientAuth = true;
            return this;
        }

        /** Server: ask for a client certificate but continue without one. */
        public Builder wantClientAuth() {
            this.wantClientAuth = true;
            return this;
        }

        /** Client: send this host name in server_name (SNI). */
        public Builder serverName(String hostName) {
            this.serverName = hostName;
            return this;
        }

        /** Client: check the server certificate's name against the peer host, as HTTPS does. */
        public Builder verifyHostName() {
            this.endpointIdentification = "HTTPS";
            return this;
        }

        /** The peer host and port the engine is created for (session caching and host name checks). */
        public Builder peer(String host, int port) {
            this.peerHost = host;
            this.peerPort = port;
            return this;
        }

        /**
         * Use this initialised context instead of building one from the identity and trust settings (which are then
         * ignored): building a context loads key stores, which a benchmark must not count as part of a handshake.
         */
        public Builder context(SSLContext context) {
            this.context = context;
            return this;
        }

        /**
         * Use the context of an earlier peer (same implementation) instead of a new one: its session cache is how a
         * JSSE peer resumes, a client by offering the earlier session for the same peer host and port.
         */
        public Builder sharingContextWith(JdkTlsPeer earlier) {
            this.context = earlier.context;
            this.implementation = earlier.implementation;
            return this;
        }

        public JdkTlsPeer build() {
            return new JdkTlsPeer(this);
        }
    }

    private final SSLEngine engine;
    private final SSLContext context;
    private final Implementation implementation;
    private final ByteArrayOutputStream appIn = new ByteArrayOutputStream();
    private final ByteArrayOutputStream netOut = new ByteArrayOutputStream();
    private final List<byte[]> appOut = new ArrayList<>();
    private ByteBuffer netIn = ByteBuffer.allocate(0);
    private int handshakes;
    private Exception failure;

    private JdkTlsPeer(Builder b) {
        this.implementation = b.implementation;
        try {
            context = b.context != null ? b.context : newContext(b);
            engine = context.createSSLEngine(b.peerHost, b.peerPort);
            engine.setUseClientMode(b.clientMode);
            SSLParameters params = engine.getSSLParameters();
            if (b.protocols != null) {
                params.setProtocols(b.protocols.toArray(String[]::new));
            }
            if (b.cipherSuites != null) {
                List<String> supported = Arrays.asList(engine.getSupportedCipherSuites());
                for (String suite : b.cipherSuites) {
                    if (!supported.contains(suite) && !supported.contains(suite.replaceFirst("^TLS_", "SSL_"))) {
                        throw new IllegalStateException(suite + " is not supported by " + b.implementation
                                + "; if it is a legacy suite, an SSLContext was created before JdkTlsPeer could relax "
                                + "jdk.tls.disabledAlgorithms (see its class comment)");
                    }
                }
                params.setCipherSuites(b.cipherSuites.toArray(String[]::new));
            }
            if (b.needClientAuth) {
                params.setNeedClientAuth(true);
            } else if (b.wantClientAuth) {
                params.setWantClientAuth(true);
            }
            if (b.serverName != null) {
                params.setServerNames(List.of(new SNIHostName(b.serverName)));
            }
            if (b.endpointIdentification != null) {
                params.setEndpointIdentificationAlgorithm(b.endpointIdentification);
            }
            engine.setSSLParameters(params);
            if (b.namedGroups != null) {
                if (b.implementation != Implementation.BC_JSSE) {
                    throw new IllegalStateException("named groups can be set on the Bouncy Castle peer only");
                }
                org.bouncycastle.jsse.BCSSLEngine bcEngine = (org.bouncycastle.jsse.BCSSLEngine) engine;
                org.bouncycastle.jsse.BCSSLParameters bcParams = bcEngine.getParameters();
                bcParams.setNamedGroups(b.namedGroups.toArray(String[]::new));
                bcEngine.setParameters(bcParams);
            }
            engine.beginHandshake();
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException("cannot build a " + b.implementation + " peer", e);
        }
    }

    private static SSLContext newContext(Builder b) throws GeneralSecurityException {
        SSLContext context = b.implementation == Implementation.BC_JSSE
                ? SSLContext.getInstance("TLS", BcJsse.PROVIDER)
                : SSLContext.getInstance("TLS");
        boolean bc = b.implementation == Implementation.BC_JSSE;
        KeyManagerFactory kmf = b.keyManagers;
        if (b.identity != null) {
            kmf = bc ? KeyManagerFactory.getInstance("PKIX", BcJsse.PROVIDER) : KeyManagerFactory.getInstance("PKIX");
            kmf.init(TestPki.keyStore(b.identity), TestPki.KEY_PASSWORD);
        }
        TrustManagerFactory tmf = b.trustManagers;
        if (b.trustStore != null) {
            tmf = bc ? TrustManagerFactory.getInstance("PKIX", BcJsse.PROVIDER) : TrustManagerFactory.getInstance("PKIX");
            tmf.init(b.trustStore);
        }
        KeyManager[] km = kmf == null ? null : kmf.getKeyManagers();
        TrustManager[] tm = tmf == null ? null : tmf.getTrustManagers();
        context.init(km, tm, null);
        return context;
    }

    public Implementation implementation() {
        return implementation;
    }

    /** The engine itself, for assertions this interface does not cover. */
    public SSLEngine engine() {
        return engine;
    }

    @Override
    public byte[] receive(byte[] records) {
        netIn = append(netIn, records);
        SSLSession session = engine.getSession();
        ByteBuffer app = ByteBuffer.allocate(session.getApplicationBufferSize());
        while (failure == null && !engine.isInboundDone()) {
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, app);
            } catch (SSLException e) {
                fail(e);
                break;
            }
            count(result);
            switch (result.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    app = grow(app, engine.getSession().getApplicationBufferSize());
                    continue;
                }
                case BUFFER_UNDERFLOW, CLOSED -> {
                    drainApp(app);
                    return produce();
                }
                default -> {
                }
            }
            drainApp(app);
            runTasks();
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                // TLS 1.3 engines may refuse to unwrap further until their answer is wrapped (e.g. after HRR).
                wrapPending();
                continue;
            }
            if (!netIn.hasRemaining() && result.bytesProduced() == 0) {
                break;
            }
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                break;
            }
        }
        return produce();
    }

    @Override
    public byte[] produce() {
        wrapPending();
        byte[] out = netOut.toByteArray();
        netOut.reset();
        return out;
    }

    private void wrapPending() {
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        while (!engine.isOutboundDone() || engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            ByteBuffer app = nextAppData();
            SSLEngineResult result;
            try {
                result = engine.wrap(app, net);
            } catch (SSLException e) {
                boolean first = failure == null;
                fail(e);
                if (first) {
                    // After a failure the engine still has its fatal alert to wrap: one more round for it.
                    continue;
                }
                break;
            }
            count(result);
            consumeAppData(app);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                net = grow(net, engine.getSession().getPacketBufferSize());
                continue;
            }
            net.flip();
            byte[] bytes = new byte[net.remaining()];
            net.get(bytes);
            netOut.writeBytes(bytes);
            net.clear();
            runTasks();
            if (result.bytesProduced() == 0 && result.bytesConsumed() == 0) {
                break;
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED && result.bytesProduced() == 0) {
                break;
            }
        }
    }

    private ByteBuffer nextAppData() {
        if (appOut.isEmpty() || !handshakeDone()) {
            return ByteBuffer.allocate(0);
        }
        return ByteBuffer.wrap(appOut.get(0));
    }

    private void consumeAppData(ByteBuffer app) {
        if (app.capacity() == 0 || appOut.isEmpty()) {
            return;
        }
        if (app.hasRemaining()) {
            byte[] rest = new byte[app.remaining()];
            app.get(rest);
            appOut.set(0, rest);
        } else {
            appOut.remove(0);
        }
    }

    @Override
    public void send(byte[] appData) {
        if (appData.length > 0) {
            appOut.add(appData.clone());
        }
    }

    @Override
    public byte[] receivedAppData() {
        byte[] data = appIn.toByteArray();
        appIn.reset();
        return data;
    }

    @Override
    public boolean handshakeDone() {
        return handshakes > 0;
    }

    @Override
    public int handshakesCompleted() {
        return handshakes;
    }

    @Override
    public SSLSession session() {
        return engine.getSession();
    }

    @Override
    public void beginRenegotiation() {
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            throw new IllegalStateException("renegotiation refused", e);
        }
    }

    @Override
    public void closeOutbound() {
        engine.closeOutbound();
    }

    @Override
    public boolean inboundDone() {
        return engine.isInboundDone();
    }

    @Override
    public boolean outboundDone() {
        return engine.isOutboundDone();
    }

    @Override
    public Exception failure() {
        return failure;
    }

    @Override
    public String toString() {
        return implementation + (engine.getUseClientMode() ? " client" : " server");
    }

    private void fail(SSLException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void count(SSLEngineResult result) {
        if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
            handshakes++;
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void drainApp(ByteBuffer app) {
        app.flip();
        byte[] bytes = new byte[app.remaining()];
        app.get(bytes);
        appIn.writeBytes(bytes);
        app.clear();
    }

    private static ByteBuffer append(ByteBuffer pending, byte[] more) {
        ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + more.length);
        joined.put(pending).put(more).flip();
        return joined;
    }

    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, atLeast));
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }
}
