package dev.handshake.tls.wire;

/** A signature scheme (RFC 8446 §4.2.3; in TLS 1.2 the SignatureAndHashAlgorithm pair read as one u16). Unknown codes are kept as they are and print as hex. */
public record SignatureScheme(int code) {

    public static final SignatureScheme RSA_PKCS1_SHA1 = new SignatureScheme(0x0201);
    public static final SignatureScheme ECDSA_SHA1 = new SignatureScheme(0x0203);
    public static final SignatureScheme RSA_PKCS1_SHA256 = new SignatureScheme(0x0401);
    public static final SignatureScheme RSA_PKCS1_SHA384 = new SignatureScheme(0x0501);
    public static final SignatureScheme RSA_PKCS1_SHA512 = new SignatureScheme(0x0601);
    public static final SignatureScheme ECDSA_SECP256R1_SHA256 = new SignatureScheme(0x0403);
    public static final SignatureScheme ECDSA_SECP384R1_SHA384 = new SignatureScheme(0x0503);
    public static final SignatureScheme ECDSA_SECP521R1_SHA512 = new SignatureScheme(0x0603);
    public static final SignatureScheme RSA_PSS_RSAE_SHA256 = new SignatureScheme(0x0804);
    public static final SignatureScheme RSA_PSS_RSAE_SHA384 = new SignatureScheme(0x0805);
    public static final SignatureScheme RSA_PSS_RSAE_SHA512 = new SignatureScheme(0x0806);
    public static final SignatureScheme ED25519 = new SignatureScheme(0x0807);
    public static final SignatureScheme ED448 = new SignatureScheme(0x0808);
    public static final SignatureScheme RSA_PSS_PSS_SHA256 = new SignatureScheme(0x0809);
    public static final SignatureScheme RSA_PSS_PSS_SHA384 = new SignatureScheme(0x080a);
    public static final SignatureScheme RSA_PSS_PSS_SHA512 = new SignatureScheme(0x080b);

    private static final java.util.Map<Integer, String> NAMES = WireNames.of(SignatureScheme.class, SignatureScheme::code);

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
