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
 */
public record SessionOptions(
        String version,
        String profile,
        String cipherSuite,
        String keyExchange,
        String serverName,
        String clientAuth,
        List<String> applicationProtocols,
        List<String> faults) {

    public SessionOptions {
        applicationProtocols = applicationProtocols == null ? List.of() : List.copyOf(applicationProtocols);
        faults = faults == null ? List.of() : List.copyOf(faults);
    }
}
