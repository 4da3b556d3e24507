package dev.handshake.tls.suite;

import dev.handshake.tls.crypto.Primitive;

/**
 * A record-protection cipher with the lengths the key block and record layer need (RFC 5246 §6.3 and Appendix C,
 * RFC 5288 §3, RFC 7905 §2).
 */
public enum BulkCipher {
    AES_128_GCM(Kind.AEAD, Primitive.AES_GCM, 16, 4, 8, 16),
    AES_256_GCM(Kind.AEAD, Primitive.AES_GCM, 32, 4, 8, 16),
    /** RFC 7905: a 12-byte fixed IV XORed with the sequence number; no explicit nonce on the wire. */
    CHACHA20_POLY1305(Kind.AEAD, Primitive.CHACHA20_POLY1305, 32, 12, 0, 16),
    AES_128_CBC(Kind.BLOCK, Primitive.AES_CBC, 16, 0, 16, 16),
    AES_256_CBC(Kind.BLOCK, Primitive.AES_CBC, 32, 0, 16, 16),
    TRIPLE_DES_EDE_CBC(Kind.BLOCK, Primitive.DESEDE_CBC, 24, 0, 8, 8),
    RC4_128(Kind.STREAM, Primitive.RC4, 16, 0, 0, 1);

    /** The three ways TLS 1.2 protects a record (RFC 5246 §6.2.3). */
    public enum Kind { STREAM, BLOCK, AEAD }

    private final Kind kind;
    private final Primitive primitive;
    private final int keyLength;
    private final int fixedIvLength;
    private final int recordIvLength;
    /** The AEAD tag length, or the block size for CBC ciphers. */
    private final int blockOrTagLength;

    BulkCipher(Kind kind, Primitive primitive, int keyLength, int fixedIvLength, int recordIvLength, int blockOrTagLength) {
        this.kind = kind;
        this.primitive = primitive;
        this.keyLength = keyLength;
        this.fixedIvLength = fixedIvLength;
        this.recordIvLength = recordIvLength;
        this.blockOrTagLength = blockOrTagLength;
    }

    public Kind kind() {
        return kind;
    }

    public Primitive primitive() {
        return primitive;
    }

    public int keyLength() {
        return keyLength;
    }

    /** IV bytes taken from the key block: the GCM salt (4) or the ChaCha20 nonce mask (12); 0 for CBC and RC4. */
    public int fixedIvLength() {
        return fixedIvLength;
    }

    /** IV bytes carried in each record: GCM's explicit nonce (8), the CBC IV (block size); 0 otherwise. */
    public int recordIvLength() {
        return recordIvLength;
    }

    public int tagLength() {
        return kind == Kind.AEAD ? blockOrTagLength : 0;
    }

    public int blockSize() {
        return kind == Kind.BLOCK ? blockOrTagLength : 0;
    }
}
