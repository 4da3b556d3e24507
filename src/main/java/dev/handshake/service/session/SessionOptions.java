package dev.handshake.service.session;

import java.util.List;

/**
 * The options a session was created with, as stored (already validated and normalised).
 *
 * @param version              "TLSv1.2" or "TLSv1.3": the highest version offered/accepted
 * @param profile              engine profile name (MODERN, COMPATIBLE, LEGACY)
 * @param cipherSuite          one IANA suite name to restrict to, or null
 * @param keyExchange          walkthrough: RSA or ECDHE (decides the suites), or null
 * @param clientAuth           NONE, OPTIONAL or REQUIRED
 * @param faults               walkthrough faults (names of {@code WalkthroughFault})
 * @param recordPadding        relay: pad each TLS 1.3 record we send to a multiple of this many bytes (RFC 8446 §5.4);
 *                             0: no padding
 */
public record SessionOptions(
        String version,
        String profile,
        String cipherSuite,
        String keyExchange,
        String serverName,
        String clientAuth,
        List<String> applicationProtocols,
        List<String> faults,
        int recordPadding) {

    public SessionOptions {
        applicationProtocols = applicationProtocols == null ? List.of() : List.copyOf(applicationProtocols);
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /** Options without record padding. */
    public SessionOptions(String version, String profile, String cipherSuite, String keyExchange, String serverName,
                          String clientAuth, List<String> applicationProtocols, List<String> faults) {
        this(version, profile, cipherSuite, keyExchange, serverName, clientAuth, applicationProtocols, faults, 0);
    }
}
