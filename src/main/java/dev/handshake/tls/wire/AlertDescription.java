package dev.handshake.tls.wire;

/** An alert description (RFC 5246 §7.2, RFC 8446 §6). Unknown codes are kept as they are and print as hex. */
public record AlertDescription(int code) {

    public static final AlertDescription CLOSE_NOTIFY = new AlertDescription(0);
    public static final AlertDescription UNEXPECTED_MESSAGE = new AlertDescription(10);
    public static final AlertDescription BAD_RECORD_MAC = new AlertDescription(20);
    public static final AlertDescription DECRYPTION_FAILED = new AlertDescription(21);
    public static final AlertDescription RECORD_OVERFLOW = new AlertDescription(22);
    public static final AlertDescription DECOMPRESSION_FAILURE = new AlertDescription(30);
    public static final AlertDescription HANDSHAKE_FAILURE = new AlertDescription(40);
    public static final AlertDescription NO_CERTIFICATE = new AlertDescription(41);
    public static final AlertDescription BAD_CERTIFICATE = new AlertDescription(42);
    public static final AlertDescription UNSUPPORTED_CERTIFICATE = new AlertDescription(43);
    public static final AlertDescription CERTIFICATE_REVOKED = new AlertDescription(44);
    public static final AlertDescription CERTIFICATE_EXPIRED = new AlertDescription(45);
    public static final AlertDescription CERTIFICATE_UNKNOWN = new AlertDescription(46);
    public static final AlertDescription ILLEGAL_PARAMETER = new AlertDescription(47);
    public static final AlertDescription UNKNOWN_CA = new AlertDescription(48);
    public static final AlertDescription ACCESS_DENIED = new AlertDescription(49);
    public static final AlertDescription DECODE_ERROR = new AlertDescription(50);
    public static final AlertDescription DECRYPT_ERROR = new AlertDescription(51);
    public static final AlertDescription EXPORT_RESTRICTION = new AlertDescription(60);
    public static final AlertDescription PROTOCOL_VERSION = new AlertDescription(70);
    public static final AlertDescription INSUFFICIENT_SECURITY = new AlertDescription(71);
    public static final AlertDescription INTERNAL_ERROR = new AlertDescription(80);
    public static final AlertDescription INAPPROPRIATE_FALLBACK = new AlertDescription(86);
    public static final AlertDescription USER_CANCELED = new AlertDescription(90);
    public static final AlertDescription NO_RENEGOTIATION = new AlertDescription(100);
    public static final AlertDescription MISSING_EXTENSION = new AlertDescription(109);
    public static final AlertDescription UNSUPPORTED_EXTENSION = new AlertDescription(110);
    public static final AlertDescription UNRECOGNIZED_NAME = new AlertDescription(112);
    public static final AlertDescription BAD_CERTIFICATE_STATUS_RESPONSE = new AlertDescription(113);
    public static final AlertDescription UNKNOWN_PSK_IDENTITY = new AlertDescription(115);
    public static final AlertDescription CERTIFICATE_REQUIRED = new AlertDescription(116);
    public static final AlertDescription NO_APPLICATION_PROTOCOL = new AlertDescription(120);

    private static final java.util.Map<Integer, String> NAMES = WireNames.of(AlertDescription.class, AlertDescription::code);

    public String name() {
        return WireNames.name(NAMES, code, 2);
    }

    public boolean isKnown() {
        return NAMES.containsKey(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
