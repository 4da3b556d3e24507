package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handshake.service.proxy.ProxyConnections.Counter;
import dev.handshake.testing.OpenSslProcess;
import dev.handshake.testing.TestPki;
import dev.handshake.tls.ClientAuth;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The listener against real clients on loopback: curl, openssl s_client, the JDK's HttpClient and SSLSocket. */
@ExtendWith(NettyLeaks.Check.class)
class TlsProxyEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        assumeTrue(OpenSslProcess.available(), "openssl is on the PATH");
    }


    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"TLSv1.3,''", "TLSv1.2,--tls-max 1.2"})
    void curlReachesTheUpstream(String version, String options) throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.http("api"));
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(upstream.address()).start()) {
            Path ca = TestPki.writeCaPem(dir);
            List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "-v", "--http1.1", "--cacert",
                    ca.toString(), "--resolve", "localhost:" + proxy.port() + ":127.0.0.1"));
            if (!options.isEmpty()) {
                command.addAll(List.of(options.split(" ")));
            }
            command.add("https://localhost:" + proxy.port() + "/anything");
            Process curl = new ProcessBuilder(command).start();
            String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String verbose = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, curl.exitValue(), verbose);
            assertEquals("hello from api", body);
            assertTrue(verbose.contains("SSL connection using " + version), verbose);
            assertEquals(1, proxy.count(Counter.HANDSHAKES_COMPLETED));
        }
    }

    @Test
    void jdkHttpClientGetsTheUpstreamResponse() throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.http("api"));
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(upstream.address()).start()) {
            HttpClient client = HttpClient.newBuilder().sslContext(TlsClients.context(null))
                    .version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + proxy.port() + "/x" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals("hello from api", response.body());
            }
            // three requests on one kept-alive connection
            assertEquals(1, upstream.accepted.get());
        }
    }

    @Test
    void opensslSniRoutesExactAndWildcardNamesToTwoUpstreams() throws Exception {
        try (TestUpstream a = new TestUpstream(TestUpstream.http("A"));
                TestUpstream b = new TestUpstream(TestUpstream.http("B"));
                TestUpstream fallback = new TestUpstream(TestUpstream.http("default"));
                ProxyTestRig proxy = ProxyTestRig.builder()
                        .route(ProxyTestRig.route("a", List.of("a.test"), a.address(), ClientAuth.NONE, List.of(), false))
                        .route(ProxyTestRig.route("b", List.of("*.b.test"), b.address(), ClientAuth.NONE, List.of(), false))
                        .defaultUpstream(fallback.address()).start()) {
            assertEquals("hello from A", opensslGet(proxy.port(), "a.test", null));
            assertEquals("hello from B", opensslGet(proxy.port(), "x.b.test", null));
            // a wildcard covers exactly one label (RFC 6125 §6.4.3)
            assertEquals("hello from default", opensslGet(proxy.port(), "y.x.b.test", null));
            assertEquals("hello from default", opensslGet(proxy.port(), "other.test", null));
        }
    }

    @Test
    void unmatchedNameWithoutDefaultRouteGetsUnrecognizedName() throws Exception {
        try (TestUpstream a = new TestUpstream(TestUpstream.http("A"));
                ProxyTestRig proxy = ProxyTestRig.builder()
                        .route(ProxyTestRig.route("a", List.of("a.test"), a.address(), ClientAuth.NONE, List.of(), false))
                        .start();
                OpenSslProcess client = OpenSslProcess.client(proxy.port()).tls12().serverName("nope.test").start()) {
            client.expectOutput("unrecognized name", WAIT);
            assertEquals(1, proxy.count(Counter.UNRECOGNIZED_NAMES));
            assertEquals(0, a.accepted.get());
        }
    }

    @Test
    void requiredClientCertificateIsAcceptedAndItsAbsenceRefused() throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.http("secure"));
                ProxyTestRig proxy = ProxyTestRig.builder()
                        .defaultRoute(ProxyTestRig.route("mtls", List.of(), upstream.address(), ClientAuth.REQUIRED,
                                List.of(), false)).start()) {
            assertEquals("hello from secure", opensslGet(proxy.port(), "localhost", TestPki.clientRsa()));

            try (OpenSslProcess client = OpenSslProcess.client(proxy.port()).tls12().serverName("localhost").start()) {
                client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertNotEquals(-1, client.awaitExit(WAIT), client.transcript());
                assertTrue(client.transcript().contains("alert"), client.transcript());
                assertTrue(!client.output().contains("hello from secure"), client.transcript());
            }
            ProxyTestRig.await("the refusal is counted", WAIT, () -> proxy.count(Counter.HANDSHAKE_FAILURES) == 1);
            // an unauthenticated client never reached the upstream
            assertEquals(1, upstream.accepted.get());
        }
    }

    @Test
    void proxyProtocolV2HeaderCarriesTheClientAddressAndTlsDetails() throws Exception {
        CompletableFuture<ProxyProtocolV2Parser.Header> received = new CompletableFuture<>();
        try (TestUpstream upstream = new TestUpstream(socket -> {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    received.complete(ProxyProtocolV2Parser.read(in));
                    TestUpstream.echo().serve(socket);
                });
                ProxyTestRig proxy = ProxyTestRig.builder()
                        .defaultRoute(ProxyTestRig.route("pp", List.of(), upstream.address(), ClientAuth.OPTIONAL,
                                List.of("http/1.1"), true)).start();
                SSLSocket socket = TlsClients.connect(TlsClients.context(TestPki.clientRsa()), proxy.port(),
                        "app.test", List.of("h2", "http/1.1"))) {
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            byte[] echoed = socket.getInputStream().readNBytes(4);
            assertEquals("ping", new String(echoed, StandardCharsets.US_ASCII));

            ProxyProtocolV2Parser.Header header = received.get(10, TimeUnit.SECONDS);
            assertEquals("127.0.0.1", header.source().getAddress().getHostAddress());
            assertEquals(socket.getLocalPort(), header.source().getPort());
            assertEquals(proxy.port(), header.destination().getPort());
            assertEquals("http/1.1", header.alpn());
            assertEquals("app.test", header.authority());
            assertEquals(socket.getSession().getProtocol(), header.sslVersion());
            assertEquals(socket.getSession().getCipherSuite(), header.sslCipher());
            assertEquals("client", header.sslCommonName());
            assertEquals(ProxyProtocolV2.PP2_CLIENT_SSL | ProxyProtocolV2.PP2_CLIENT_CERT_CONN
                    | ProxyProtocolV2.PP2_CLIENT_CERT_SESS, header.sslClient());
            assertEquals(0, header.sslVerify());
        }
    }

    @Test
    void bulkTransfersOf256MiBArriveIntactInBothDirections() throws Exception {
        long size = 256L << 20;
        CompletableFuture<byte[]> sinkDigest = new CompletableFuture<>();
        byte[] sourceDigest;
        try (TestUpstream sink = new TestUpstream(socket -> {
                    MessageDigest digest = sha256();
                    byte[] buffer = new byte[65536];
                    InputStream in = socket.getInputStream();
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        digest.update(buffer, 0, n);
                    }
                    sinkDigest.complete(digest.digest());
                });
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(sink.address()).start();
                SSLSocket socket = TlsClients.connect(TlsClients.context(null), proxy.port(), null, null)) {
            MessageDigest sent = sha256();
            long started = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            Random random = new Random(1);
            byte[] chunk = new byte[65536];
            for (long at = 0; at < size; at += chunk.length) {
                random.nextBytes(chunk);
                sent.update(chunk);
                out.write(chunk);
            }
            socket.close();
            assertArrayEquals(sent.digest(), sinkDigest.get(120, TimeUnit.SECONDS));
            report("client to upstream", size, started);
        }
        Random seeded = new Random(2);
        MessageDigest expected = sha256();
        try (TestUpstream source = new TestUpstream(socket -> {
                    OutputStream out = socket.getOutputStream();
                    Random random = new Random(2);
                    byte[] chunk = new byte[65536];
                    for (long at = 0; at < size; at += chunk.length) {
                        random.nextBytes(chunk);
                        out.write(chunk);
                    }
                    socket.shutdownOutput();
                    socket.getInputStream().read();
                });
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(source.address()).start();
                SSLSocket socket = TlsClients.connect(TlsClients.context(null), proxy.port(), null, null)) {
            long started = System.nanoTime();
            MessageDigest got = sha256();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                got.update(buffer, 0, n);
                total += n;
            }
            report("upstream to client", total, started);
            byte[] chunk = new byte[65536];
            for (long at = 0; at < size; at += chunk.length) {
                seeded.nextBytes(chunk);
                expected.update(chunk);
            }
            assertEquals(size, total);
            sourceDigest = got.digest();
            assertArrayEquals(expected.digest(), sourceDigest);
        }
    }

    @Test
    void fiveHundredConcurrentConnectionsComplete() throws Exception {
        int connections = 500;
        try (TestUpstream upstream = new TestUpstream(TestUpstream.echo());
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(upstream.address()).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                var context = TlsClients.context(null);
                List<CompletableFuture<SSLSocket>> opening = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    opening.add(CompletableFuture.supplyAsync(
                            () -> TlsClients.connect(context, proxy.port(), null, null), pool));
                }
                List<SSLSocket> sockets = new ArrayList<>();
                for (CompletableFuture<SSLSocket> future : opening) {
                    sockets.add(future.get(120, TimeUnit.SECONDS));
                }
                // all 500 are open at once through the proxy
                assertEquals(connections, proxy.connections.openCount());
                List<CompletableFuture<String>> echoes = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    SSLSocket socket = sockets.get(i);
                    String message = "message " + i;
                    echoes.add(CompletableFuture.supplyAsync(() -> {
                        try (socket) {
                            socket.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
                            return new String(socket.getInputStream().readNBytes(message.length()),
                                    StandardCharsets.US_ASCII);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, pool));
                }
                for (int i = 0; i < connections; i++) {
                    assertEquals("message " + i, echoes.get(i).get(60, TimeUnit.SECONDS));
                }
                assertEquals(connections, proxy.count(Counter.HANDSHAKES_COMPLETED));
                ProxyTestRig.await("every connection closed", WAIT, () -> proxy.connections.openCount() == 0
                        && upstream.openConnections() == 0);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** GET / through openssl s_client with SNI (and a client certificate), returning the response body. */
    private String opensslGet(int port, String serverName, TestPki.Identity clientIdentity) {
        OpenSslProcess.ClientBuilder builder = OpenSslProcess.client(port).tls12().serverName(serverName)
                .trustTestRoot(dir).verifyServer(null).arg("-quiet");
        if (clientIdentity != null) {
            builder.identity(clientIdentity, dir.resolve("client"));
        }
        try (OpenSslProcess client = builder.start()) {
            client.write("GET / HTTP/1.1\r\nHost: " + serverName + "\r\n\r\n");
            client.expectOutput("\r\n\r\n", WAIT);
            ProxyTestRig.await("the whole body", WAIT, () -> {
                String output = client.output();
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("Content-Length: (\\d+)").matcher(output);
                return length.find() && output.length() - output.indexOf("\r\n\r\n") - 4 >= Integer.parseInt(length.group(1));
            });
            String output = client.output();
            return output.substring(output.indexOf("\r\n\r\n") + 4);
        }
    }

    private static void report(String direction, long bytes, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("proxy bulk %s: %d MiB in %.2f s = %.1f MiB/s%n", direction, bytes >> 20, seconds,
                (bytes / 1048576.0) / seconds);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
