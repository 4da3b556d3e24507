package dev.handshake.tls.wire;

/** A cipher suite code point (IANA TLS Cipher Suites); the suite table in dev.handshake.tls.suite gives its meaning. Unknown codes are kept as they are and print as hex. */
public record CipherSuiteId(int code) {

    public static final CipherSuiteId TLS_RSA_WITH_RC4_128_SHA = new CipherSuiteId(0x0005);
    public static final CipherSuiteId TLS_RSA_WITH_3DES_EDE_CBC_SHA = new CipherSuiteId(0x000a);
    public static final CipherSuiteId TLS_RSA_WITH_AES_128_CBC_SHA = new CipherSuiteId(0x002f);
    public static final CipherSuiteId TLS_RSA_WITH_AES_256_CBC_SHA = new CipherSuiteId(0x0035);
    public static final CipherSuiteId TLS_RSA_WITH_AES_128_CBC_SHA256 = new CipherSuiteId(0x003c);
    public static final CipherSuiteId TLS_RSA_WITH_AES_256_CBC_SHA256 = new CipherSuiteId(0x003d);
    public static final CipherSuiteId TLS_RSA_WITH_AES_128_GCM_SHA256 = new CipherSuiteId(0x009c);
    public static final CipherSuiteId TLS_RSA_WITH_AES_256_GCM_SHA384 = new CipherSuiteId(0x009d);
    public static final CipherSuiteId TLS_EMPTY_RENEGOTIATION_INFO_SCSV = new CipherSuiteId(0x00ff);
    public static final CipherSuiteId TLS_FALLBACK_SCSV = new CipherSuiteId(0x5600);
    public static final CipherSuiteId TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = new CipherSuiteId(0xc009);
    public static final CipherSuiteId TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA = new CipherSuiteId(0xc00a);
    public static final CipherSuiteId TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = new CipherSuiteId(0xc013);
    public static final CipherSuiteId TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA = new CipherSuiteId(0xc014);
    public static final CipherSuiteId TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = new CipherSuiteId(0xc023);
    public static final CipherSuiteId TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 = new CipherSuiteId(0xc024);
    public static final CipherSuiteId TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = new CipherSuiteId(0xc027);
    public static final CipherSuiteId TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 = new CipherSuiteId(0xc028);
    public static final CipherSuiteId TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = new CipherSuiteId(0xc02b);
    public static final CipherSuiteId TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = new CipherSuiteId(0xc02c);
    public static final CipherSuiteId TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = new CipherSuiteId(0xc02f);
    public static final CipherSuiteId TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = new CipherSuiteId(0xc030);
    public static final CipherSuiteId TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = new CipherSuiteId(0xcca8);
    public static final CipherSuiteId TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = new CipherSuiteId(0xcca9);
    public static final CipherSuiteId TLS_AES_128_GCM_SHA256 = new CipherSuiteId(0x1301);
    public static final CipherSuiteId TLS_AES_256_GCM_SHA384 = new CipherSuiteId(0x1302);
    public static final CipherSuiteId TLS_CHACHA20_POLY1305_SHA256 = new CipherSuiteId(0x1303);

    private static final java.util.Map<Integer, String> NAMES = WireNames.of(CipherSuiteId.class, CipherSuiteId::code, false);

    public String name() {
        return WireNames.name(NAMES, code, 4);
    }

    public boolean isKnown() {
        return NAMES.containsKey(code);
    }

    // Written out, as in ProtocolVersion: the generated ones were not inlined on the per-record path.
    @Override
    public boolean equals(Object other) {
        return other instanceof CipherSuiteId that && that.code == code;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
