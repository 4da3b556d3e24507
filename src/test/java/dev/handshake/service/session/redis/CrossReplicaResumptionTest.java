package dev.handshake.service.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.RelayClient;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.proxy.ProxyPorts;
import dev.handshake.service.resumption.RotatingTicketKeys;
import dev.handshake.service.session.SessionIds;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.ManualClock;
import dev.handshake.testing.OpenSslProcess;
import dev.handshake.testing.TestRedis;
import dev.handshake.tls.TicketKeys;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Session tickets across replicas: a ticket issued by replica A (relay API or TCP proxy) resumes on replica B, because
 * both take their ticket keys from Redis (TLS 1.3 and TLS 1.2 tickets alike); after a rotation the old ticket resumes
 * for the grace period, and after it the client gets a full handshake, not a failure. Real clients only: the JDK's
 * SSLEngine over the relay API and {@code openssl s_client -sess_out/-sess_in} against the proxy listeners. Both
 * replicas share one manual clock, the service's time, so the test moves through a rotation without sleeping; the
 * engines' own clock (ticket age and lifetime) stays real.
 */
class CrossReplicaResumptionTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration ROTATION = Duration.ofHours(12);
    static final Duration GRACE = Duration.ofHours(2);

    /** Six hours into a rotation period that has already begun (certificates are issued on real time). */
    static final ManualClock clock = new ManualClock(Instant.ofEpochMilli(
            Math.floorDiv(System.currentTimeMillis() - ROTATION.toMillis() / 2, ROTATION.toMillis())
                    * ROTATION.toMillis() + ROTATION.toMillis() / 2));
    static Replica a;
    static Replica b;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startReplicas() {
        TestRedis redis = TestRedis.shared();
        String prefix = "tickets-" + SessionIds.next().substring(0, 8) + ":";
        a = Replica.start(redis, prefix, clock, "spring.data.redis.timeout=5s");
        b = Replica.start(redis, prefix, clock, "spring.data.redis.timeout=5s");
    }

    @AfterAll
    static void stopReplicas() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void replicasHoldTheSameTicketKeysFromRedis() {
        TicketKeys onA = a.context.getBean(RotatingTicketKeys.class).current();
        assertThat(onA.isEmpty()).isFalse();
        assertThat(b.context.getBean(RotatingTicketKeys.class).current()).isEqualTo(onA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aTicketFromTheRelayOnAResumesOnTheRelayOfB(String version) throws Exception {
        SSLContext client = jdkClientContext();
        String options = "{\"version\":\"" + version + "\"}";
        long firstCreated;
        try (RelayClient tls = RelayClient.connect(HttpClient.newHttpClient(), URI.create(a.base()),
                jdkEngine(client, version), options)) {
            assertThat(tls.session().getProtocol()).isEqualTo(version);
            assertThat(negotiated(a, tls.sessionId()).get("resumed").asBoolean()).isFalse();
            assertThat(tls.session().getPeerCertificates()).isNotEmpty();
            firstCreated = tls.session().getCreationTime();
        }
        try (RelayClient tls = RelayClient.connect(HttpClient.newHttpClient(), URI.create(b.base()),
                jdkEngine(client, version), options)) {
            JsonNode negotiated = negotiated(b, tls.sessionId());
            assertThat(negotiated.get("resumed").asBoolean()).as("B opened A's ticket: %s", negotiated).isTrue();
            JsonNode transcript = b.api.get("/api/v1/sessions/" + tls.sessionId()).json().get("transcript");
            assertThat(transcript.toString()).as("a resumed handshake sends no certificate")
                    .doesNotContain("\"certificate\"");
            // the client agrees: SunJSSE gives a resumed session the creation time of the session it resumes (a full
            // handshake would make a new session, created now)
            assertThat(tls.session().getCreationTime()).isEqualTo(firstCreated);
            byte[] data = "after resumption".getBytes(StandardCharsets.US_ASCII);
            assertThat(tls.exchange(data)).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aTicketFromTheProxyOfAResumesOnTheProxyOfB(String version) throws Exception {
        Path session = dir.resolve("proxy-" + version + ".pem");
        connect(a, version, "-sess_out", session, "New, " + version);
        double resumedBefore = resumedOnProxy(b);
        connect(b, version, "-sess_in", session, "Reused, " + version);
        assertThat(resumedOnProxy(b) - resumedBefore).as("B's proxy counted a resumed handshake").isEqualTo(1);
    }

    @Test
    void afterARotationTheOldTicketResumesForTheGracePeriodAndThenGivesAFullHandshake() throws Exception {
        Path session = dir.resolve("rotation.pem");
        connect(a, "TLSv1.3", "-sess_out", session, "New, TLSv1.3");
        TicketKeys before = a.context.getBean(RotatingTicketKeys.class).current();

        Instant boundary = Instant.ofEpochMilli((Math.floorDiv(clock.millis(), ROTATION.toMillis()) + 1)
                * ROTATION.toMillis());
        clock.set(boundary.plusSeconds(60));
        refreshBoth();
        TicketKeys rotated = b.context.getBean(RotatingTicketKeys.class).current();
        assertThat(rotated.current()).isNotEqualTo(before.current());
        assertThat(a.context.getBean(RotatingTicketKeys.class).current()).isEqualTo(rotated);
        connect(b, "TLSv1.3", "-sess_in", session, "Reused, TLSv1.3");

        clock.set(boundary.plus(GRACE).plusSeconds(1));
        refreshBoth();
        assertThat(b.context.getBean(RotatingTicketKeys.class).current().keys()).hasSize(1);
        connect(b, "TLSv1.3", "-sess_in", session, "New, TLSv1.3");
    }

    /** One s_client connection through a replica's proxy, with a request answered by the upstream (our own API). */
    static void connect(Replica replica, String version, String sessionOption, Path session, String expected) {
        Assumptions.assumeTrue(OpenSslProcess.available(), "openssl is installed");
        OpenSslProcess.ClientBuilder builder = OpenSslProcess.client(ProxyPorts.of(replica.context))
                .serverName("localhost").arg(sessionOption, session.toString());
        builder = version.equals("TLSv1.3") ? builder.tls13() : builder.tls12();
        try (OpenSslProcess client = builder.start()) {
            client.expectOutput(expected, WAIT);
            client.write("GET /api/v1/sessions/none HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            client.expectOutput("HTTP/1.1 404", WAIT);
        }
        if (sessionOption.equals("-sess_out")) {
            assertThat(Files.exists(session)).as("s_client saved the ticket").isTrue();
        }
    }

    static void refreshBoth() {
        a.context.getBean(RotatingTicketKeys.class).refresh();
        b.context.getBean(RotatingTicketKeys.class).refresh();
    }

    static double resumedOnProxy(Replica replica) {
        return replica.context.getBean(MeterRegistry.class).find("tls.handshakes").tag("source", "proxy")
                .tag("resumed", "true").tag("outcome", "success").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    static JsonNode negotiated(Replica replica, String id) {
        return replica.api.get("/api/v1/sessions/" + id).json().get("negotiated");
    }

    /** One client context for both connections: SunJSSE resumes from its session cache, keyed by host and port. */
    static SSLContext jdkClientContext() throws Exception {
        JdkTlsPeer.allowLegacyAlgorithms();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("local-ca", a.context.getBean(LocalCertificateAuthority.class).certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    static SSLEngine jdkEngine(SSLContext context, String version) {
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {version});
        return engine;
    }
}
