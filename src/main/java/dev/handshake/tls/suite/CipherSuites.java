package dev.handshake.tls.suite;

import static dev.handshake.tls.suite.BulkCipher.AES_128_CBC;
import static dev.handshake.tls.suite.BulkCipher.AES_128_GCM;
import static dev.handshake.tls.suite.BulkCipher.AES_256_CBC;
import static dev.handshake.tls.suite.BulkCipher.AES_256_GCM;
import static dev.handshake.tls.suite.BulkCipher.CHACHA20_POLY1305;
import static dev.handshake.tls.suite.BulkCipher.RC4_128;
import static dev.handshake.tls.suite.BulkCipher.TRIPLE_DES_EDE_CBC;
import static dev.handshake.tls.suite.KeyExchange.ECDHE_ECDSA;
import static dev.handshake.tls.suite.KeyExchange.ECDHE_RSA;
import static dev.handshake.tls.suite.KeyExchange.RSA;
import static dev.handshake.tls.suite.KeyExchange.TLS13;
import static dev.handshake.tls.suite.MacAlgorithm.HMAC_SHA1;
import static dev.handshake.tls.suite.MacAlgorithm.HMAC_SHA256;
import static dev.handshake.tls.suite.MacAlgorithm.HMAC_SHA384;
import static dev.handshake.tls.suite.MacAlgorithm.NONE;
import static dev.handshake.tls.suite.PrfHash.SHA256;
import static dev.handshake.tls.suite.PrfHash.SHA384;

import dev.handshake.tls.wire.CipherSuiteId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The table of every cipher suite the engine implements. Which are offered, and in what order, is {@link Profile}'s. */
public final class CipherSuites {

    private static final Map<CipherSuiteId, CipherSuite> TABLE = new LinkedHashMap<>();

    static {
        add(CipherSuiteId.TLS_AES_128_GCM_SHA256, TLS13, AES_128_GCM, NONE, SHA256);
        add(CipherSuiteId.TLS_AES_256_GCM_SHA384, TLS13, AES_256_GCM, NONE, SHA384);
        add(CipherSuiteId.TLS_CHACHA20_POLY1305_SHA256, TLS13, CHACHA20_POLY1305, NONE, SHA256);

        add(CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ECDHE_ECDSA, AES_128_GCM, NONE, SHA256);
        add(CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, ECDHE_ECDSA, AES_256_GCM, NONE, SHA384);
        add(CipherSuiteId.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, ECDHE_ECDSA, CHACHA20_POLY1305, NONE, SHA256);
        add(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ECDHE_RSA, AES_128_GCM, NONE, SHA256);
        add(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, ECDHE_RSA, AES_256_GCM, NONE, SHA384);
        add(CipherSuiteId.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, ECDHE_RSA, CHACHA20_POLY1305, NONE, SHA256);

        add(CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, ECDHE_ECDSA, AES_128_CBC, HMAC_SHA256, SHA256);
        add(CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, ECDHE_ECDSA, AES_256_CBC, HMAC_SHA384, SHA384);
        add(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, ECDHE_RSA, AES_128_CBC, HMAC_SHA256, SHA256);
        add(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, ECDHE_RSA, AES_256_CBC, HMAC_SHA384, SHA384);
        add(CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, ECDHE_ECDSA, AES_128_CBC, HMAC_SHA1, SHA256);
        add(CipherSuiteId.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, ECDHE_ECDSA, AES_256_CBC, HMAC_SHA1, SHA256);
        add(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, ECDHE_RSA, AES_128_CBC, HMAC_SHA1, SHA256);
        add(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, ECDHE_RSA, AES_256_CBC, HMAC_SHA1, SHA256);

        add(CipherSuiteId.TLS_RSA_WITH_AES_128_GCM_SHA256, RSA, AES_128_GCM, NONE, SHA256);
        add(CipherSuiteId.TLS_RSA_WITH_AES_256_GCM_SHA384, RSA, AES_256_GCM, NONE, SHA384);
        add(CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA256, RSA, AES_128_CBC, HMAC_SHA256, SHA256);
        add(CipherSuiteId.TLS_RSA_WITH_AES_256_CBC_SHA256, RSA, AES_256_CBC, HMAC_SHA256, SHA256);
        add(CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA, RSA, AES_128_CBC, HMAC_SHA1, SHA256);
        add(CipherSuiteId.TLS_RSA_WITH_AES_256_CBC_SHA, RSA, AES_256_CBC, HMAC_SHA1, SHA256);
        add(CipherSuiteId.TLS_RSA_WITH_3DES_EDE_CBC_SHA, RSA, TRIPLE_DES_EDE_CBC, HMAC_SHA1, SHA256);
        add(CipherSuiteId.TLS_RSA_WITH_RC4_128_SHA, RSA, RC4_128, HMAC_SHA1, SHA256);
    }

    private CipherSuites() {
    }

    private static void add(CipherSuiteId id, KeyExchange kx, BulkCipher cipher, MacAlgorithm mac, PrfHash prf) {
        TABLE.put(id, new CipherSuite(id, kx, cipher, mac, prf));
    }

    public static Optional<CipherSuite> byId(CipherSuiteId id) {
        return Optional.ofNullable(lookUp(id));
    }

    /** The suite for an id this engine implements; for ids taken from our own state, where absence is a bug. */
    public static CipherSuite require(CipherSuiteId id) {
        CipherSuite suite = lookUp(id);
        if (suite == null) {
            throw new IllegalArgumentException("not implemented: " + id);
        }
        return suite;
    }

    /**
     * The table's entry, through the suite found last: record protection looks the suite up two to three times per
     * record, nearly always the same one (the map lookup was about 3 % of a kept-alive proxied request's samples). A
     * racy read is harmless: a {@link CipherSuite} is immutable, and a stale entry is only a miss.
     */
    private static CipherSuite lookUp(CipherSuiteId id) {
        CipherSuite last = lastFound;
        if (last != null && last.id().code() == id.code()) {
            return last;
        }
        CipherSuite suite = TABLE.get(id);
        if (suite != null) {
            lastFound = suite;
        }
        return suite;
    }

    private static CipherSuite lastFound;

    public static java.util.Collection<CipherSuite> all() {
        return TABLE.values();
    }
}
