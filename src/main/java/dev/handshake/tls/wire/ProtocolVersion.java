package dev.handshake.tls.wire;

/** A protocol version as it appears on the wire (RFC 5246 §6.2.1, RFC 8446 §4.2.1). Unknown codes print as hex. */
public record ProtocolVersion(int code) {

    public static final ProtocolVersion SSL3_0 = new ProtocolVersion(0x0300);
    public static final ProtocolVersion TLS1_0 = new ProtocolVersion(0x0301);
    public static final ProtocolVersion TLS1_1 = new ProtocolVersion(0x0302);
    public static final ProtocolVersion TLS1_2 = new ProtocolVersion(0x0303);
    public static final ProtocolVersion TLS1_3 = new ProtocolVersion(0x0304);

    private static final java.util.Map<Integer, String> NAMES = WireNames.of(ProtocolVersion.class, ProtocolVersion::code);

    public String name() {
        return WireNames.name(NAMES, code, 4);
    }

    public boolean isKnown() {
        return NAMES.containsKey(code);
    }

    /** RFC 8701 reserves 0x?A?A values so that peers learn to ignore what they do not know. */
    public boolean isGrease() {
        return (code & 0x0f0f) == 0x0a0a && (code >>> 8) == (code & 0xff);
    }

    public boolean isAtLeast(ProtocolVersion other) {
        return code >= other.code;
    }

    // Written out rather than generated: a record's generated equals and hashCode go through an invokedynamic
    // bootstrap (ObjectMethods) that C2 did not inline on the per-record path, about 6 % of the proxy's CPU samples
    // per kept-alive request in JFR (ProtectionState.isTls13, its constructor, the suite table's lookups).
    @Override
    public boolean equals(Object other) {
        return other instanceof ProtocolVersion that && that.code == code;
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
