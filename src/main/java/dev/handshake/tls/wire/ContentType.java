package dev.handshake.tls.wire;

/** A TLS record content type (RFC 5246 §6.2.1, RFC 8446 §5.1). Unknown codes are kept as they are and print as hex. */
public record ContentType(int code) {

    public static final ContentType CHANGE_CIPHER_SPEC = new ContentType(20);
    public static final ContentType ALERT = new ContentType(21);
    public static final ContentType HANDSHAKE = new ContentType(22);
    public static final ContentType APPLICATION_DATA = new ContentType(23);
    public static final ContentType HEARTBEAT = new ContentType(24);

    private static final java.util.Map<Integer, String> NAMES = WireNames.of(ContentType.class, ContentType::code);

    public String name() {
        return WireNames.name(NAMES, code, 2);
    }

    public boolean isKnown() {
        return NAMES.containsKey(code);
    }

    // Written out, as in ProtocolVersion: the generated ones were not inlined on the per-record path.
    @Override
    public boolean equals(Object other) {
        return other instanceof ContentType that && that.code == code;
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
