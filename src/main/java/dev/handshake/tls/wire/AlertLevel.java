package dev.handshake.tls.wire;

/** An alert level (RFC 5246 §7.2). Unknown codes are kept as they are and print as hex. */
public record AlertLevel(int code) {

    public static final AlertLevel WARNING = new AlertLevel(1);
    public static final AlertLevel FATAL = new AlertLevel(2);

    private static final java.util.Map<Integer, String> NAMES = WireNames.of(AlertLevel.class, AlertLevel::code);

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
