package dev.handshake.tls.wire;

/** A handshake message type (RFC 5246 §7.4, RFC 8446 §4). Unknown codes are kept as they are and print as hex. */
public record HandshakeType(int code) {

    public static final HandshakeType HELLO_REQUEST = new HandshakeType(0);
    public static final HandshakeType CLIENT_HELLO = new HandshakeType(1);
    public static final HandshakeType SERVER_HELLO = new HandshakeType(2);
    public static final HandshakeType NEW_SESSION_TICKET = new HandshakeType(4);
    public static final HandshakeType END_OF_EARLY_DATA = new HandshakeType(5);
    public static final HandshakeType ENCRYPTED_EXTENSIONS = new HandshakeType(8);
    public static final HandshakeType CERTIFICATE = new HandshakeType(11);
    public static final HandshakeType SERVER_KEY_EXCHANGE = new HandshakeType(12);
    public static final HandshakeType CERTIFICATE_REQUEST = new HandshakeType(13);
    public static final HandshakeType SERVER_HELLO_DONE = new HandshakeType(14);
    public static final HandshakeType CERTIFICATE_VERIFY = new HandshakeType(15);
    public static final HandshakeType CLIENT_KEY_EXCHANGE = new HandshakeType(16);
    public static final HandshakeType FINISHED = new HandshakeType(20);
    public static final HandshakeType CERTIFICATE_STATUS = new HandshakeType(22);
    public static final HandshakeType KEY_UPDATE = new HandshakeType(24);
    public static final HandshakeType MESSAGE_HASH = new HandshakeType(254);

    private static final java.util.Map<Integer, String> NAMES = WireNames.of(HandshakeType.class, HandshakeType::code);

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
