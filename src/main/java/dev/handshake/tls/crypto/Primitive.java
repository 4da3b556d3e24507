package dev.handshake.tls.crypto;

/**
 * A cryptographic primitive the engine uses, with the JCA service type and algorithm name that provide it. The
 * {@link CryptoProvider} decides, per primitive, which JCA provider serves it (chosen by measurement).
 */
public enum Primitive {
    MD5("MessageDigest", "MD5"),
    SHA1("MessageDigest", "SHA-1"),
    SHA256("MessageDigest", "SHA-256"),
    SHA384("MessageDigest", "SHA-384"),
    SHA512("MessageDigest", "SHA-512"),

    HMAC_MD5("Mac", "HmacMD5"),
    HMAC_SHA1("Mac", "HmacSHA1"),
    HMAC_SHA256("Mac", "HmacSHA256"),
    HMAC_SHA384("Mac", "HmacSHA384"),
    HMAC_SHA512("Mac", "HmacSHA512"),

    AES_GCM("Cipher", "AES/GCM/NoPadding"),
    AES_CBC("Cipher", "AES/CBC/NoPadding"),
    /** AES in ECB mode, for TLS 1.3 ticket protection helpers and KATs that need a raw block. */
    AES_ECB("Cipher", "AES/ECB/NoPadding"),
    CHACHA20_POLY1305("Cipher", "ChaCha20-Poly1305"),
    /** Legacy profile only (Sweet32). */
    DESEDE_CBC("Cipher", "DESede/CBC/NoPadding"),
    /** Legacy profile only (RFC 7465 prohibits it everywhere else). */
    RC4("Cipher", "RC4"),

    /** Raw RSA, for the constant-time RSA key exchange unpadding (RFC 5246 §7.4.7.1). */
    RSA_RAW("Cipher", "RSA/ECB/NoPadding"),
    /** RSAES-PKCS1-v1_5 encryption, the client's side of the RSA key exchange. */
    RSA_PKCS1("Cipher", "RSA/ECB/PKCS1Padding"),

    SHA1_WITH_RSA("Signature", "SHA1withRSA"),
    SHA256_WITH_RSA("Signature", "SHA256withRSA"),
    SHA384_WITH_RSA("Signature", "SHA384withRSA"),
    SHA512_WITH_RSA("Signature", "SHA512withRSA"),
    RSASSA_PSS("Signature", "RSASSA-PSS"),
    /**
     * RSASSA-PSS with an id-RSASSA-PSS key (the rsa_pss_pss_* schemes, RFC 8446 §4.2.3). A primitive of its own
     * because Amazon Corretto Crypto Provider signs with rsaEncryption keys only and refuses these ("DIFFERENT_KEY_TYPES").
     */
    RSASSA_PSS_WITH_PSS_KEY("Signature", "RSASSA-PSS"),
    SHA1_WITH_ECDSA("Signature", "SHA1withECDSA"),
    SHA256_WITH_ECDSA("Signature", "SHA256withECDSA"),
    SHA384_WITH_ECDSA("Signature", "SHA384withECDSA"),
    SHA512_WITH_ECDSA("Signature", "SHA512withECDSA"),
    ED25519("Signature", "Ed25519"),

    EC_KEY_PAIR("KeyPairGenerator", "EC"),
    X25519_KEY_PAIR("KeyPairGenerator", "X25519"),
    ECDH("KeyAgreement", "ECDH"),
    X25519("KeyAgreement", "X25519"),
    EC_KEY_FACTORY("KeyFactory", "EC"),
    X25519_KEY_FACTORY("KeyFactory", "X25519"),
    RSA_KEY_FACTORY("KeyFactory", "RSA"),

    /** ML-KEM-768 (FIPS 203) for the X25519MLKEM768 hybrid group; served by Bouncy Castle. */
    ML_KEM_768("KEM", "ML-KEM-768"),

    CERTIFICATE_FACTORY("CertificateFactory", "X.509"),
    CERT_PATH_VALIDATOR("CertPathValidator", "PKIX");

    private final String serviceType;
    private final String algorithm;

    Primitive(String serviceType, String algorithm) {
        this.serviceType = serviceType;
        this.algorithm = algorithm;
    }

    public String serviceType() {
        return serviceType;
    }

    public String algorithm() {
        return algorithm;
    }
}
