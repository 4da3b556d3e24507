package dev.handshake.tls.suite;

import dev.handshake.tls.wire.CipherSuiteId;
import java.util.List;
import java.util.Locale;

/**
 * What a connection offers and accepts. Each list is in server preference order, and each rule of the order has a
 * reason (after Go's cipher_suites.go):
 * <ol>
 * <li>TLS 1.3 suites first: they exist only in 1.3 and are chosen by version before anything below.</li>
 * <li>Forward secrecy (ECDHE) before RSA key transport: RSA key transport has none (RFC 10015 deprecates it).</li>
 * <li>AEAD before CBC: CBC with MAC-then-encrypt invites padding oracles (Lucky13, POODLE-style attacks).</li>
 * <li>AES-128 before AES-256: equal security margin for TLS purposes at lower cost; ChaCha20 after AES because
 *     AES has hardware support here (a client without AES-NI lists ChaCha20 first and we can honour that later).</li>
 * <li>SHA-256 MACs before SHA-1 MACs (no practical attack on HMAC-SHA1, but no reason to prefer it).</li>
 * <li>3DES next to last (Sweet32: 64-bit blocks) and RC4 last (RFC 7465 prohibits it): {@link #LEGACY} only.</li>
 * </ol>
 */
public enum Profile {
    /** ECDHE with AEAD, and TLS 1.3. The default once TLS 1.3 lands. */
    MODERN(List.of(
            CipherSuiteId.TLS_AES_128_GCM_SHA256,
            CipherSuiteId.TLS_AES_256_GCM_SHA384,
            CipherSuiteId.TLS_CHACHA20_POLY1305_SHA256,
            CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuiteId.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuiteId.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)),
    /** Adds RSA key exchange and CBC: the seed's handshake. */
    COMPATIBLE(concat(MODERN.suites, List.of(
            CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
            CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
            CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
            CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
            CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
            CipherSuiteId.TLS_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuiteId.TLS_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA256,
            CipherSuiteId.TLS_RSA_WITH_AES_256_CBC_SHA256,
            CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA,
            CipherSuiteId.TLS_RSA_WITH_AES_256_CBC_SHA))),
    /** Adds the seed's 3DES and RC4. Never on by default; for teaching and for testing old clients only. */
    LEGACY(concat(COMPATIBLE.suites, List.of(
            CipherSuiteId.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
            CipherSuiteId.TLS_RSA_WITH_RC4_128_SHA)));

    private final List<CipherSuiteId> suites;

    Profile(List<CipherSuiteId> suites) {
        this.suites = suites;
    }

    /** Every suite this profile enables, in server preference order. */
    public List<CipherSuiteId> suites() {
        return suites;
    }

    public boolean allows(CipherSuiteId id) {
        return suites.contains(id);
    }

    public static Profile parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    private static List<CipherSuiteId> concat(List<CipherSuiteId> a, List<CipherSuiteId> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
