package dev.handshake.service.relay;

import dev.handshake.service.certificate.LocalCertificateAuthority;
import javax.net.ssl.SSLEngine;

/** Lets tests in other packages build the relay test's JDK client. */
public final class RelayApiTestAccess {

    private RelayApiTestAccess() {
    }

    public static SSLEngine jdkClient(LocalCertificateAuthority ca, String suite) throws Exception {
        return RelayApiTest.jdkClient(ca, suite);
    }
}
