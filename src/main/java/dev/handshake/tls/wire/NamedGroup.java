package dev.handshake.tls.wire;

/** A key exchange group (RFC 8422 §5.1.1, RFC 7919, RFC 8446 §4.2.7, RFC 10024). Unknown codes are kept as they are and print as hex. */
public record NamedGroup(int code) {

    public static final NamedGroup SECP256R1 = new NamedGroup(23);
    public static final NamedGroup SECP384R1 = new NamedGroup(24);
    public static final NamedGroup SECP521R1 = new NamedGroup(25);
    public static final NamedGroup X25519 = new NamedGroup(29);
    public static final NamedGroup X448 = new NamedGroup(30);
    public static final NamedGroup FFDHE2048 = new NamedGroup(256);
    public static final NamedGroup FFDHE3072 = new NamedGroup(257);
    public static final NamedGroup SECP256R1MLKEM768 = new NamedGroup(0x11EB);
    public static final NamedGroup X25519MLKEM768 = new NamedGroup(0x11EC);
    public static final NamedGroup SECP384R1MLKEM1024 = new NamedGroup(0x11ED);

    private static final java.util.Map<Integer, String> NAMES = WireNames.of(NamedGroup.class, NamedGroup::code);

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
