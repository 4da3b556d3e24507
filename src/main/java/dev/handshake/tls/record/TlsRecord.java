package dev.handshake.tls.record;

import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.Arrays;
import java.util.Objects;

/**
 * One TLS record as it travels on the wire (RFC 5246 §6.2.1 TLSPlaintext / §6.2.3 TLSCiphertext, RFC 8446 §5.1-5.2):
 * a content type, the record-layer version and an opaque fragment of at most 2^16 - 1 bytes.
 *
 * <p>The fragment array is owned by the record and is not copied (this is the proxy's hot path): whoever builds a
 * record hands the array over and must not change it afterwards.
 */
public record TlsRecord(ContentType type, ProtocolVersion version, byte[] fragment) {

    /** type(1) + version(2) + length(2). */
    public static final int HEADER_LENGTH = 5;
    /** RFC 5246 §6.2.1, RFC 8446 §5.1: a plaintext fragment carries at most 2^14 bytes. */
    public static final int MAX_PLAINTEXT_LENGTH = 1 << 14;
    /** RFC 5246 §6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048. */
    public static final int MAX_CIPHERTEXT_LENGTH_TLS12 = (1 << 14) + 2048;
    /** RFC 8446 §5.2: TLSCiphertext.length MUST NOT exceed 2^14 + 256. */
    public static final int MAX_CIPHERTEXT_LENGTH_TLS13 = (1 << 14) + 256;

    public TlsRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(fragment, "fragment");
        if (fragment.length > 0xffff) {
            throw new IllegalArgumentException("fragment of " + fragment.length + " bytes does not fit a u16 length");
        }
    }

    /** The record as sent: the 5-byte header followed by the fragment. */
    public byte[] encode() {
        byte[] out = new byte[HEADER_LENGTH + fragment.length];
        writeHeader(out, 0, type, version, fragment.length);
        System.arraycopy(fragment, 0, out, HEADER_LENGTH, fragment.length);
        return out;
    }

    static void writeHeader(byte[] out, int at, ContentType type, ProtocolVersion version, int length) {
        out[at] = (byte) type.code();
        out[at + 1] = (byte) (version.code() >>> 8);
        out[at + 2] = (byte) version.code();
        out[at + 3] = (byte) (length >>> 8);
        out[at + 4] = (byte) length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsRecord other && type.equals(other.type) && version.equals(other.version)
                && Arrays.equals(fragment, other.fragment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, version, Arrays.hashCode(fragment));
    }

    @Override
    public String toString() {
        // A fragment may be plaintext application data or handshake secrets in transit: print its length only.
        return "TlsRecord[" + type + ", " + version + ", " + fragment.length + " bytes]";
    }
}
