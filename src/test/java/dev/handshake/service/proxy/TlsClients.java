package dev.handshake.service.proxy;

import dev.handshake.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** JDK TLS clients trusting TestPki's root, for the proxy tests. */
final class TlsClients {

    private TlsClients() {
    }

    static SSLContext context(TestPki.Identity clientIdentity) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(clientIdentity == null ? null : TestPki.keyManagers(clientIdentity).getKeyManagers(),
                    TestPki.trustManagers().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connected socket whose handshake has completed; SNI and ALPN when given. */
    static SSLSocket connect(SSLContext context, int port, String serverName, List<String> alpn) {
        try {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
            SSLParameters parameters = socket.getSSLParameters();
            if (serverName != null) {
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
            }
            if (alpn != null) {
                parameters.setApplicationProtocols(alpn.toArray(String[]::new));
            }
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
