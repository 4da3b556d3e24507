package dev.handshake.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code openssl s_server} or {@code s_client} process on loopback, as an interop peer. Its stdout and stderr
 * are read continuously into buffers (so the process never blocks on a full pipe) and can be awaited with a bounded
 * wait; its stdin is the application data it sends. {@link #close()} always ends the process.
 *
 * <h2>What this machine's OpenSSL can do (3.0.x, Debian build)</h2>
 * <ul>
 * <li>TLS 1.2 and 1.3, ECDHE and plain RSA key exchange ({@code AES128-SHA}, {@code AES128-GCM-SHA256}), client
 *     authentication ({@code -Verify}), renegotiation (TLS 1.2: an {@code R} line on stdin).</li>
 * <li><b>No 3DES and no RC4 TLS suites at all</b>: the build leaves out {@code enable-weak-ssl-ciphers}, so
 *     {@code -cipher 'DES-CBC3-SHA:@SECLEVEL=0'} and {@code 'RC4-SHA:@SECLEVEL=0'} fail with "no cipher match", with
 *     or without {@code -provider legacy -provider default} (the legacy provider adds the raw RC4/DES algorithms to
 *     {@code openssl enc}, not cipher suites to libssl). Legacy-suite interop therefore runs against
 *     {@link JdkTlsPeer}, which can re-enable them. {@link #supportsCipher(String)} answers this per machine, so a
 *     test can assume it rather than fail where OpenSSL is built differently.</li>
 * <li>{@code @SECLEVEL=0} is still needed for SHA-1 signature schemes and small keys in TLS 1.2.</li>
 * </ul>
 *
 * <h2>stdin is a command channel too</h2>
 * Both tools read stdin line by line and treat some lines as commands, not data: a line starting with {@code Q} ends
 * the process, {@code q} (s_server) ends the connection, a line that is just {@code R} or {@code r} renegotiates (TLS
 * 1.2), {@code k}/{@code K} sends a KeyUpdate (TLS 1.3). Application data sent with {@link #write} must not start a line
 * with those letters.
 */
public final class OpenSslProcess implements AutoCloseable {

    /** How long to wait for s_server's "ACCEPT" before giving up. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final List<String> command;
    private final int port;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Object outputArrived = new Object();

    private OpenSslProcess(List<String> command, int port) {
        this.command = List.copyOf(command);
        this.port = port;
        try {
            this.process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        drain(process.getInputStream(), stdout, "stdout");
        drain(process.getErrorStream(), stderr, "stderr");
    }

    /** True when {@code openssl} is on the PATH. Interop tests assume it (CI installs it). */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when this OpenSSL's libssl knows the cipher string, e.g. {@code "DES-CBC3-SHA:@SECLEVEL=0"}. */
    public static boolean supportsCipher(String cipherString) {
        try {
            Process p = new ProcessBuilder("openssl", "ciphers", cipherString).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A free TCP port on loopback: bind port 0, read the port the kernel chose, release it. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ServerBuilder server() {
        return new ServerBuilder();
    }

    public static ClientBuilder client(int port) {
        return new ClientBuilder(port);
    }

    /** Options shared by s_server and s_client. */
    public abstract static class Builder<B extends Builder<B>> {
        final List<String> args = new ArrayList<>();
        private final List<String> providers = new ArrayList<>();

        abstract B self();

        /** Present this certificate and key (files written by {@link TestPki#writePem}). */
        public B identity(TestPki.Identity identity, Path dir) {
            TestPki.writePem(identity, dir);
            args.addAll(List.of("-cert", dir.resolve("chain.pem").toString(), "-key", dir.resolve("key.pem").toString()));
            return self();
        }

        /** Trust the test root (for verifying the peer), written into {@code dir}. */
        public B trustTestRoot(Path dir) {
            args.addAll(List.of("-CAfile", TestPki.writeCaPem(dir).toString()));
            return self();
        }

        public B tls12() {
            args.add("-tls1_2");
            return self();
        }

        public B tls13() {
            args.add("-tls1_3");
            return self();
        }

        /** TLS 1.2 and below cipher list, OpenSSL names (e.g. {@code "ECDHE-RSA-AES128-GCM-SHA256"}). */
        public B cipher(String openSslCipherList) {
            args.addAll(List.of("-cipher", openSslCipherList));
            return self();
        }

        /** TLS 1.3 suites, IANA names joined with ':' (e.g. {@code "TLS_AES_128_GCM_SHA256"}). */
        public B ciphersuites(String tls13Suites) {
            args.addAll(List.of("-ciphersuites", tls13Suites));
            return self();
        }

        /** Load an OpenSSL provider, e.g. {@code "legacy"} then {@code "default"}. */
        public B provider(String name) {
            providers.addAll(List.of("-provider", name));
            return self();
        }

        /** Any other option, passed as is. */
        public B arg(String... more) {
            args.addAll(List.of(more));
            return self();
        }

        List<String> command(String tool, List<String> first) {
            List<String> command = new ArrayList<>(List.of("openssl", tool));
            command.addAll(first);
            command.addAll(providers);
            command.addAll(args);
            return command;
        }
    }

    /** {@code openssl s_server}, one connection ({@code -naccept 1}) on a free loopback port. */
    public static final class ServerBuilder extends Builder<ServerBuilder> {
        @Override
        ServerBuilder self() {
            return this;
        }

        /** Request a client certificate and fail the handshake without one ({@code -Verify}). */
        public ServerBuilder requireClientCertificate() {
            args.addAll(List.of("-Verify", "2", "-verify_return_error"));
            return this;
        }

        /** Request a client certificate but continue without one ({@code -verify}). */
        public ServerBuilder requestClientCertificate() {
            args.addAll(List.of("-verify", "2"));
            return this;
        }

        /** Allow renegotiation with peers that lack RFC 5746 secure renegotiation (dangerous; tests only). */
        public ServerBuilder legacyRenegotiation() {
            args.add("-legacy_renegotiation");
            return this;
        }

        /**
         * Starts the server and waits for "ACCEPT". The port is found by binding port 0 first; another process can take
         * it before openssl binds, so a bind failure is retried on a new port.
         */
        public OpenSslProcess start() {
            AssertionError last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                OpenSslProcess server = new OpenSslProcess(
                        command("s_server", List.of("-accept", "127.0.0.1:" + port, "-naccept", "1")), port);
                if (server.awaitOutput("ACCEPT", START_TIMEOUT)) {
                    return server;
                }
                server.close();
                last = new AssertionError("openssl s_server did not start: " + server.transcript());
                if (!server.errors().contains("in use")) {
                    break;
                }
            }
            throw last;
        }
    }

    /** {@code openssl s_client} to a loopback port. */
    public static final class ClientBuilder extends Builder<ClientBuilder> {
        private final int port;
        private boolean ignoreEof = true;

        private ClientBuilder(int port) {
            this.port = port;
        }

        @Override
        ClientBuilder self() {
            return this;
        }

        /** Send SNI. */
        public ClientBuilder serverName(String hostName) {
            args.addAll(List.of("-servername", hostName));
            return this;
        }

        /** Fail the handshake unless the server certificate verifies (and matches {@code hostName}, if given). */
        public ClientBuilder verifyServer(String hostName) {
            args.add("-verify_return_error");
            if (hostName != null) {
                args.addAll(List.of("-verify_hostname", hostName));
            }
            return this;
        }

        /**
         * Let stdin lines act as commands ({@code R} renegotiates, {@code k}/{@code K} KeyUpdate, {@code Q} quits). s_client 3.0 honours them only
         * without {@code -ign_eof} (its stdin loop tests {@code !c_ign_eof} before {@code cbuf[0] == 'R'}, so under
         * {@code -ign_eof} an {@code R} line is sent as data), which this builder otherwise sets. The price: closing
         * stdin now ends the connection (s_client prints "DONE" and sends close_notify).
         */
        public ClientBuilder stdinCommands() {
            ignoreEof = false;
            return this;
        }

        /** Starts the client; it connects at once. Wait for "CONNECTED" or handshake output with awaitOutput. */
        public OpenSslProcess start() {
            // -ign_eof: keep the connection open when the test closes stdin, so the answer can still arrive.
            List<String> first = ignoreEof ? List.of("-connect", "127.0.0.1:" + port, "-ign_eof")
                    : List.of("-connect", "127.0.0.1:" + port);
            return new OpenSslProcess(command("s_client", first), port);
        }
    }

    /** The port s_server accepts on, or s_client connects to. */
    public int port() {
        return port;
    }

    /** Writes to the process's stdin (application data, or a command line: see the class comment) and flushes. */
    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] bytes) {
        try {
            OutputStream in = process.getOutputStream();
            in.write(bytes);
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("openssl stdin closed: " + transcript(), e);
        }
    }

    /** Closes stdin: EOF on stdin ends s_server's connection (unless -ign_eof) and s_client's input. */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything written to stdout so far. */
    public String output() {
        return stdout.toString();
    }

    /** Everything written to stderr so far. */
    public String errors() {
        return stderr.toString();
    }

    /** Waits up to {@code timeout} until stdout or stderr contains {@code text}; false if it never did. */
    public boolean awaitOutput(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (outputArrived) {
            while (!stdout.toString().contains(text) && !stderr.toString().contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(outputArrived, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** As {@link #awaitOutput}, but fails with the whole transcript when the text does not appear. */
    public void expectOutput(String text, Duration timeout) {
        if (!awaitOutput(text, timeout)) {
            throw new AssertionError("openssl never printed \"" + text + "\" within " + timeout + ":\n" + transcript());
        }
    }

    /** Waits for the process to exit; returns its exit code, or -1 if it is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The command line and everything the process printed, for failure messages. */
    public String transcript() {
        return String.join(" ", command) + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }

    /** Ends the process: politely (SIGTERM), then forcibly after a short grace period. Never throws. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void drain(InputStream stream, StringBuffer into, String name) {
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(buffer)) > 0) {
                    into.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    synchronized (outputArrived) {
                        outputArrived.notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process ended and its pipe closed under us: nothing more to read.
            }
        }, "openssl-" + name + "-" + port);
        reader.setDaemon(true);
        reader.start();
    }
}
