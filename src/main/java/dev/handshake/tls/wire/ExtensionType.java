package dev.handshake.tls.wire;

/** A hello extension type (IANA TLS ExtensionType Values). Unknown codes are kept as they are and print as hex. */
public record ExtensionType(int code) {

    public static final ExtensionType SERVER_NAME = new ExtensionType(0);
    public static final ExtensionType MAX_FRAGMENT_LENGTH = new ExtensionType(1);
    public static final ExtensionType STATUS_REQUEST = new ExtensionType(5);
    public static final ExtensionType SUPPORTED_GROUPS = new ExtensionType(10);
    public static final ExtensionType EC_POINT_FORMATS = new ExtensionType(11);
    public static final ExtensionType SIGNATURE_ALGORITHMS = new ExtensionType(13);
    public static final ExtensionType USE_SRTP = new ExtensionType(14);
    public static final ExtensionType HEARTBEAT = new ExtensionType(15);
    public static final ExtensionType APPLICATION_LAYER_PROTOCOL_NEGOTIATION = new ExtensionType(16);
    public static final ExtensionType SIGNED_CERTIFICATE_TIMESTAMP = new ExtensionType(18);
    public static final ExtensionType PADDING = new ExtensionType(21);
    public static final ExtensionType ENCRYPT_THEN_MAC = new ExtensionType(22);
    public static final ExtensionType EXTENDED_MASTER_SECRET = new ExtensionType(23);
    public static final ExtensionType RECORD_SIZE_LIMIT = new ExtensionType(28);
    public static final ExtensionType SESSION_TICKET = new ExtensionType(35);
    public static final ExtensionType PRE_SHARED_KEY = new ExtensionType(41);
    public static final ExtensionType EARLY_DATA = new ExtensionType(42);
    public static final ExtensionType SUPPORTED_VERSIONS = new ExtensionType(43);
    public static final ExtensionType COOKIE = new ExtensionType(44);
    public static final ExtensionType PSK_KEY_EXCHANGE_MODES = new ExtensionType(45);
    public static final ExtensionType CERTIFICATE_AUTHORITIES = new ExtensionType(47);
    public static final ExtensionType OID_FILTERS = new ExtensionType(48);
    public static final ExtensionType POST_HANDSHAKE_AUTH = new ExtensionType(49);
    public static final ExtensionType SIGNATURE_ALGORITHMS_CERT = new ExtensionType(50);
    public static final ExtensionType KEY_SHARE = new ExtensionType(51);
    public static final ExtensionType RENEGOTIATION_INFO = new ExtensionType(0xff01);

    private static final java.util.Map<Integer, String> NAMES = WireNames.of(ExtensionType.class, ExtensionType::code);

    public String name() {
        return WireNames.name(NAMES, code, 4);
    }

    public boolean isKnown() {
        return NAMES.containsKey(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
