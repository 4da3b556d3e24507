package dev.handshake.service.proxy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A rough measurement of the listener on this machine, not a test: bulk MiB/s each way, new TLS connections per
 * second and small requests per second on kept-alive connections, with JDK clients in the same JVM (so client and
 * proxy share the cores; the HAProxy comparison of issue 5 pins them apart).
 *
 * <p>Run: {@code ./mvnw -o -q test-compile exec:java} is not configured; use
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.handshake.service.proxy.ProxyThroughputMain}
 * after {@code ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class ProxyThroughputMain {

    private ProxyThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        long bulk = args.length > 0 ? Long.parseLong(args[0]) << 20 : 512L << 20;
        int handshakes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        SSLContext context = TlsClients.context(null);

        try (TestUpstream sink = new TestUpstream(socket -> socket.getInputStream().transferTo(OutputStream.nullOutputStream()));
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(sink.address()).start()) {
            warmUp(context, proxy.port());
            try (SSLSocket socket = TlsClients.connect(context, proxy.port(), null, null)) {
                OutputStream out = socket.getOutputStream();
                byte[] chunk = new byte[65536];
                long started = System.nanoTime();
                for (long at = 0; at < bulk; at += chunk.length) {
                    out.write(chunk);
                }
                out.flush();
                report("bulk client -> upstream", bulk, started);
            }
        }

        try (TestUpstream source = new TestUpstream(socket -> {
                    OutputStream out = socket.getOutputStream();
                    byte[] chunk = new byte[65536];
                    for (long at = 0; at < bulk; at += chunk.length) {
                        out.write(chunk);
                    }
                    socket.shutdownOutput();
                    socket.getInputStream().read();
                });
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(source.address()).start();
                SSLSocket socket = TlsClients.connect(context, proxy.port(), null, null)) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            long started = System.nanoTime();
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
            report("bulk upstream -> client", total, started);
        }

        try (TestUpstream upstream = new TestUpstream(TestUpstream.http("bench"));
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(upstream.address()).start()) {
            warmUp(context, proxy.port());
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long started = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < handshakes / threads; i++) {
                        // a fresh SSLContext session cache would resume; each connection is a full handshake because
                        // our engine does not resume, so the JDK's cached session is refused
                        try (SSLSocket socket = TlsClients.connect(context, proxy.port(), null, null)) {
                            request(socket);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("new TLS 1.2 connections (ECDHE-RSA-2048, GET each): %d in %.2f s = %.0f /s%n", handshakes,
                    seconds, handshakes / seconds);

            started = System.nanoTime();
            work.clear();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    try (SSLSocket socket = TlsClients.connect(context, proxy.port(), null, null)) {
                        for (int i = 0; i < requests / threads; i++) {
                            request(socket);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("kept-alive requests (4 connections): %d in %.2f s = %.0f /s%n", requests, seconds,
                    requests / seconds);
            pool.shutdown();
        }
        System.exit(0);
    }

    private static void warmUp(SSLContext context, int port) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket socket = TlsClients.connect(context, port, null, null)) {
                socket.getOutputStream().write(new byte[1]);
            }
        }
        InetAddress.getLoopbackAddress();
    }

    private static void request(SSLSocket socket) throws java.io.IOException {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes());
        InputStream in = socket.getInputStream();
        TestUpstream.readHeaders(in);
        in.readNBytes("hello from bench".length());
    }

    private static void report(String what, long bytes, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("%s: %d MiB in %.2f s = %.1f MiB/s%n", what, bytes >> 20, seconds, bytes / 1048576.0 / seconds);
    }
}
