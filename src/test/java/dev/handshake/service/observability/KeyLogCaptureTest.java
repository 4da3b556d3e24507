package dev.handshake.service.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handshake.service.proxy.ProxyPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The key log decrypts a real capture: a TLS 1.2 and a TLS 1.3 HTTP request go through the proxy while {@code tshark}
 * captures loopback; then {@code tshark -o tls.keylog_file:...} must find both requests in the clear. Skipped (not
 * failed) where tshark is missing or may not capture; {@code scripts/keylog-capture.sh} runs the same check by hand.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeyLogCaptureTest {

    static Path directory;

    @DynamicPropertySource
    static void keyLog(DynamicPropertyRegistry registry) throws IOException {
        directory = Files.createTempDirectory("keylog");
        registry.add("handshake.observability.key-log.enabled", () -> "true");
        registry.add("handshake.observability.key-log.file", () -> directory.resolve("sslkeys.log").toString());
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    dev.handshake.service.certificate.LocalCertificateAuthority ca;

    @org.springframework.boot.test.web.server.LocalServerPort
    int httpPort;

    @Test
    void tsharkDecryptsTls12AndTls13ProxySessionsWithTheKeyLog() throws Exception {
        assumeTrue(canRun("tshark", "--version"), "tshark is not installed");
        int port = ProxyPorts.of(context);
        Path capture = directory.resolve("proxy.pcapng");
        Process tshark = new ProcessBuilder("tshark", "-i", "lo", "-f", "tcp port " + port, "-w", capture.toString())
                .redirectErrorStream(true).start();
        CountDownLatch capturing = new CountDownLatch(1);
        StringBuilder tsharkOutput = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(tshark.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    tsharkOutput.append(line).append('\n');
                    if (line.contains("Capturing on")) {
                        capturing.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        try {
            assumeTrue(capturing.await(20, TimeUnit.SECONDS), "tshark cannot capture loopback here: " + tsharkOutput);
            Thread.sleep(300);
            get(port, "TLSv1.2", "/v3/api-docs?tls12");
            get(port, "TLSv1.3", "/v3/api-docs?tls13");
            Thread.sleep(500);
        } finally {
            tshark.destroy(); // SIGTERM: dumpcap flushes the file
            tshark.waitFor(20, TimeUnit.SECONDS);
            reader.join(5000);
        }

        Path keyLog = directory.resolve("sslkeys.log");
        List<String> lines = Files.readAllLines(keyLog);
        assertThat(lines).filteredOn(l -> l.startsWith("CLIENT_RANDOM ")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("CLIENT_TRAFFIC_SECRET_0 ")).hasSize(1);
        assertThat(lines).hasSize(6);

        List<String> withKeys = requestUris(capture, port, keyLog);
        assertThat(withKeys).as(tsharkOutput.toString()).contains("/v3/api-docs?tls12", "/v3/api-docs?tls13");
        // and the check can fail: without the key log nothing is readable
        Path empty = Files.writeString(directory.resolve("empty.log"), "");
        assertThat(requestUris(capture, port, empty)).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void apiServesTheClientRandomLineOfAnEstablishedTls12Session(
            org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        TlsMetricsTest.Relayed relayed = TlsMetricsTest.relayTls12Handshake(httpPort, ca);
        var answer = new dev.handshake.service.ApiCalls(httpPort).get("/api/v1/sessions/" + relayed.id() + "/keylog");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        // record header (5) + handshake header (4) + client_version (2), then the 32-byte random
        String random = java.util.HexFormat.of().formatHex(relayed.firstFlight(), 11, 43);
        assertThat(answer.text()).matches("CLIENT_RANDOM " + random + " [0-9a-f]{96}\n");
        // the log says it was served, naming the session by fingerprint: neither the id (the session's only
        // credential) nor the secret reaches it
        assertThat(output.getOut()).contains("key log of session "
                + dev.handshake.service.session.SessionIds.fingerprint(relayed.id()) + " served");
        assertThat(output.getOut() + output.getErr()).doesNotContain(relayed.id())
                .doesNotContain(answer.text().strip().split(" ")[2]);
    }

    @Test
    void apiServesTheRecordedTls13LinesOfAWalkthrough() throws Exception {
        var api = new dev.handshake.service.ApiCalls(httpPort);
        var created = api.postJson("/api/v1/sessions",
                "{\"mode\":\"walkthrough\",\"version\":\"TLSv1.3\",\"walkthrough\":{\"keyExchange\":\"ecdhe\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(api.postJson("/api/v1/sessions/" + id + "/steps?to=10", "").status()).isEqualTo(200);
        var answer = api.get("/api/v1/sessions/" + id + "/keylog");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.text().lines().map(l -> l.substring(0, l.indexOf(' '))).toList()).contains(
                "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET");
    }

    @Test
    void apiKeyLogOfAnUnknownSessionIsAProblem() throws Exception {
        var answer = new dev.handshake.service.ApiCalls(httpPort).get("/api/v1/sessions/nope/keylog");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    private static void get(int port, String version, String path) throws Exception {
        try (SSLSocket socket = (SSLSocket) TlsMetricsTest.trustAll().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setEnabledProtocols(new String[] {version});
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo(version);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200");
        }
    }

    private static List<String> requestUris(Path capture, int port, Path keyLog) throws Exception {
        Process read = new ProcessBuilder("tshark", "-r", capture.toString(), "-d", "tcp.port==" + port + ",tls",
                "-o", "tls.keylog_file:" + keyLog, "-Y", "http.request", "-T", "fields", "-e", "http.request.uri")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(read.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        read.waitFor(60, TimeUnit.SECONDS);
        List<String> uris = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                uris.add(line.trim());
            }
        }
        return uris;
    }

    private static boolean canRun(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
