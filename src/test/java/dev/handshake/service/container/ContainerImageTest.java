package dev.handshake.service.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.RelayClient;
import dev.handshake.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The deployed artifact, proven: the image is built from the project's Dockerfile, started next to a Redis (the session
 * repository) and a demo upstream, and real TLS clients go through the containerized proxy and REST API. Runs wherever
 * a Docker API is reachable (here: the container engine that .ci/run starts), and is skipped cleanly elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerImageTest {

    private static final int API = 8080;
    private static final int TLS = 8443;
    private static final int MANAGEMENT = 8081;

    static final Network network = Network.newNetwork();

    @Container
    static final GenericContainer<?> redis = new GenericContainer<>("redis:7")
            .withNetwork(network).withNetworkAliases("redis")
            .withCommand("redis-server", "--save", "", "--appendonly", "no", "--protected-mode", "no")
            .withExposedPorts(6379);

    @Container
    static final GenericContainer<?> upstream = new GenericContainer<>("nginx:1.27")
            .withNetwork(network).withNetworkAliases("upstream")
            .withExposedPorts(80);

    @Container
    static final GenericContainer<?> service = new GenericContainer<>(image())
            .withNetwork(network)
            .dependsOn(redis, upstream)
            .withExposedPorts(API, TLS, MANAGEMENT)
            .withCopyToContainer(Transferable.of(pem(TestPki.serverRsa().chain()), 0444), "/certs/server.crt")
            .withCopyToContainer(Transferable.of(pkcs8(TestPki.serverRsa()), 0444), "/certs/server.key")
            .withEnv("SPRING_SSL_BUNDLE_PEM_SERVER_KEYSTORE_CERTIFICATE", "file:/certs/server.crt")
            .withEnv("SPRING_SSL_BUNDLE_PEM_SERVER_KEYSTORE_PRIVATEKEY", "file:/certs/server.key")
            .withEnv("HANDSHAKE_CERTIFICATE_BUNDLE", "server")
            .withEnv("HANDSHAKE_PROXY_DEFAULTROUTE_NAME", "default")
            .withEnv("HANDSHAKE_PROXY_DEFAULTROUTE_BUNDLE", "server")
            .withEnv("HANDSHAKE_PROXY_DEFAULTROUTE_UPSTREAM", "upstream:80")
            .withEnv("HANDSHAKE_SESSION_STORE", "redis")
            .withEnv("HANDSHAKE_SESSION_ENCRYPTION_KEYS_K1", randomKey())
            .withEnv("HANDSHAKE_SESSION_ENCRYPTION_CURRENTKEYID", "k1")
            .withEnv("SPRING_DATA_REDIS_HOST", "redis")
            .withEnv("MANAGEMENT_SERVER_PORT", String.valueOf(MANAGEMENT))
            .waitingFor(Wait.forHttp("/actuator/health").forPort(MANAGEMENT).forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(3)));

    private static SSLContext trustTestRoot;

    @BeforeAll
    static void clients() throws Exception {
        trustTestRoot = SSLContext.getInstance("TLS");
        trustTestRoot.init(null, TestPki.trustManagers().getTrustManagers(), null);
    }

    /** Built from the project's own Dockerfile; networks that inspect TLS pass their CA for the build stage. */
    private static ImageFromDockerfile image() {
        return new ImageFromDockerfile("localhost/handshake-service-it", false)
                .withDockerfile(Path.of("Dockerfile").toAbsolutePath())
                .withBuildArg("EXTRA_CA_CERTS", extraCaCertificates());
    }

    private static String extraCaCertificates() {
        String configured = System.getenv("EXTRA_CA_CERTS");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path local = Path.of("/usr/local/share/ca-certificates");
        if (!Files.isDirectory(local)) {
            return "";
        }
        StringBuilder pems = new StringBuilder();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(local, "*.crt")) {
            for (Path file : files) {
                pems.append(Files.readString(file, StandardCharsets.US_ASCII)).append('\n');
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pems.toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void proxyTerminatesTlsAndForwardsHttpToTheUpstream(String version) throws Exception {
        try (SSLSocket socket = (SSLSocket) trustTestRoot.getSocketFactory()
                .createSocket(service.getHost(), service.getMappedPort(TLS))) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {version});
            parameters.setServerNames(List.of(new SNIHostName("localhost")));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo(version);

            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("nginx");
        }
    }

    @Test
    void relayHandshakeThroughTheRestApiWithSessionsInRedis() throws Exception {
        SSLEngine engine = trustTestRoot.createSSLEngine("localhost", TLS);
        engine.setUseClientMode(true);
        URI api = URI.create("http://" + service.getHost() + ":" + service.getMappedPort(API));
        try (RelayClient relay = RelayClient.connect(api, engine)) {
            assertThat(relay.session().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(relay.sessionId()).isNotBlank();
        }
        // the session went through Redis: its keys are there (and encrypted, which the Redis tests check)
        assertThat(redis.execInContainer("redis-cli", "--scan", "--pattern", "handshake:*").getStdout()).isNotBlank();
    }

    @Test
    void healthIsUpAndPrometheusIsScrapedOnTheManagementPort() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://" + service.getHost() + ":" + service.getMappedPort(MANAGEMENT);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");

        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_used_bytes");
    }

    /**
     * Issue 8 asks for a start in under 10 s on this machine; a quiet run measures about 6-7 s (README). The bound here
     * is twice that, because CI machines are shared: it catches a start that hangs or regresses, not a busy neighbour.
     */
    @Test
    void runsAsNonRootAndStartsPromptly() throws Exception {
        assertThat(service.execInContainer("id", "-u").getStdout().trim()).isEqualTo("10001");
        Matcher started = Pattern.compile("Started HandshakeServiceApplication in ([0-9.]+) seconds")
                .matcher(service.getLogs());
        assertThat(started.find()).as("start-up line in the logs").isTrue();
        double seconds = Double.parseDouble(started.group(1));
        System.out.printf("container start-up: %.1f s; image: %s%n", seconds, service.getDockerImageName());
        assertThat(seconds).isLessThan(20.0);
    }

    private static byte[] pem(List<java.security.cert.X509Certificate> chain) {
        StringBuilder out = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        try {
            for (java.security.cert.X509Certificate certificate : chain) {
                out.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pkcs8(TestPki.Identity identity) {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return ("-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(identity.key().getEncoded())
                + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

}
