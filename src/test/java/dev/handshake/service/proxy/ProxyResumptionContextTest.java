package dev.handshake.service.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.proxy.ProxyConnections.Counter;
import dev.handshake.testing.OpenSslProcess;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.resumption.InMemorySessionCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session from a proxy route without client authentication does not resume, with {@code openssl s_client
 * -sess_out/-sess_in}, on a route for the same name that requires a client certificate, though both issue and open
 * tickets with the same keys and keep TLS 1.2 sessions in the same cache (as two replicas whose route configurations
 * differ do, or a route whose client-auth was changed): the client gets a full handshake and, having no certificate,
 * certificate_required (TLS 1.3) or handshake_failure (TLS 1.2). A third proxy with the first one's configuration (a
 * replica like it) resumes the same session, so the test fails when resumption breaks.
 */
class ProxyResumptionContextTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        Assumptions.assumeTrue(OpenSslProcess.available(), "openssl is on the PATH");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"TLSv1.3,ticket,certificate required", "TLSv1.2,ticket,handshake failure",
            "TLSv1.2,session id,handshake failure"})
    void aSessionFromARouteWithoutClientAuthDoesNotResumeWhereACertificateIsRequired(String version, String mechanism,
                                                                                   String alert) throws Exception {
        ProxyConfiguration.Resumption shared = new ProxyConfiguration.Resumption(
                TicketKeys.generate(new SecureRandom()), 7200, new InMemorySessionCache(16));
        Path session = dir.resolve("session.pem");
        try (TestUpstream upstream = new TestUpstream(TestUpstream.http("app"));
                ProxyTestRig open = rig(upstream, ClientAuth.NONE, shared);
                ProxyTestRig openReplica = rig(upstream, ClientAuth.NONE, shared);
                ProxyTestRig secure = rig(upstream, ClientAuth.REQUIRED, shared)) {
            try (OpenSslProcess client = client(open, version, mechanism, "-sess_out", session)) {
                client.expectOutput("New, " + version, WAIT);
                get(client);
            }
            assertThat(Files.exists(session)).as("s_client saved the session").isTrue();

            try (OpenSslProcess client = client(openReplica, version, mechanism, "-sess_in", session)) {
                client.expectOutput("Reused, " + version, WAIT);
                get(client);
            }

            try (OpenSslProcess client = client(secure, version, mechanism, "-sess_in", session)) {
                client.write("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
                client.expectOutput(alert, WAIT);
                assertThat(client.output()).as("a full handshake, not the session").doesNotContain("Reused");
                assertThat(client.output()).doesNotContain("hello from app");
            }
            ProxyTestRig.await("the failed handshake counted", WAIT,
                    () -> secure.count(Counter.HANDSHAKE_FAILURES) == 1);
            assertThat(secure.count(Counter.HANDSHAKES_COMPLETED)).isZero();
        }
    }

    /** One proxy with the route {@code app} for app.test, in its own listener: a replica of its own. */
    private static ProxyTestRig rig(TestUpstream upstream, ClientAuth clientAuth, ProxyConfiguration.Resumption shared) {
        return ProxyTestRig.builder().resumption(shared)
                .route(ProxyTestRig.route("app", List.of("app.test"), upstream.address(), clientAuth, List.of(), false))
                .start();
    }

    private static OpenSslProcess client(ProxyTestRig proxy, String version, String mechanism, String sessionOption,
                                         Path session) {
        OpenSslProcess.ClientBuilder builder = OpenSslProcess.client(proxy.port()).serverName("app.test")
                .arg(sessionOption, session.toString());
        builder = version.equals("TLSv1.3") ? builder.tls13() : builder.tls12();
        if (mechanism.equals("session id")) {
            builder.arg("-no_ticket");
        }
        return builder.start();
    }

    private static void get(OpenSslProcess client) {
        client.write("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
        client.expectOutput("hello from app", WAIT);
    }
}
