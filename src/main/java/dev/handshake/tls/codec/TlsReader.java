package dev.handshake.tls.codec;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.wire.AlertDescription;

import java.util.Arrays;

/**
 * A bounded cursor over TLS presentation-language bytes (RFC 8446 §3). Every read checks the bound and fails with
 * {@code decode_error}; vectors are read into sub-readers that must be consumed exactly, so a length field can never
 * make a decoder read past its own structure.
 */
public final class TlsReader {

    private final byte[] buffer;
    private int position;
    private final int limit;

    private TlsReader(byte[] buffer, int offset, int limit) {
        this.buffer = buffer;
        this.position = offset;
        this.limit = limit;
    }

    public static TlsReader of(byte[] bytes) {
        return new TlsReader(bytes, 0, bytes.length);
    }

    public static TlsReader of(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IllegalArgumentException("slice out of range");
        }
        return new TlsReader(bytes, offset, offset + length);
    }

    public int remaining() {
        return limit - position;
    }

    public boolean hasRemaining() {
        return position < limit;
    }

    public int position() {
        return position;
    }

    private void require(int n, String what) {
        if (n < 0 || limit - position < n) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "truncated " + what);
        }
    }

    public int u8(String what) {
        require(1, what);
        return buffer[position++] & 0xff;
    }

    public int u16(String what) {
        require(2, what);
        int v = ((buffer[position] & 0xff) << 8) | (buffer[position + 1] & 0xff);
        position += 2;
        return v;
    }

    public int u24(String what) {
        require(3, what);
        int v = ((buffer[position] & 0xff) << 16) | ((buffer[position + 1] & 0xff) << 8) | (buffer[position + 2] & 0xff);
        position += 3;
        return v;
    }

    public long u32(String what) {
        require(4, what);
        long v = ((long) (buffer[position] & 0xff) << 24) | ((buffer[position + 1] & 0xff) << 16)
                | ((buffer[position + 2] & 0xff) << 8) | (buffer[position + 3] & 0xff);
        position += 4;
        return v;
    }

    public long u64(String what) {
        long high = u32(what);
        long low = u32(what);
        return (high << 32) | low;
    }

    public byte[] bytes(int n, String what) {
        require(n, what);
        byte[] out = Arrays.copyOfRange(buffer, position, position + n);
        position += n;
        return out;
    }

    /** Reads the rest of this reader. */
    public byte[] rest() {
        return bytes(remaining(), "rest");
    }

    /** opaque x&lt;min..2^8-1&gt; */
    public byte[] vector8(int min, String what) {
        return vectorBytes(u8(what), min, what);
    }

    /** opaque x&lt;min..2^16-1&gt; */
    public byte[] vector16(int min, String what) {
        return vectorBytes(u16(what), min, what);
    }

    /** opaque x&lt;min..2^24-1&gt; */
    public byte[] vector24(int min, String what) {
        return vectorBytes(u24(what), min, what);
    }

    private byte[] vectorBytes(int length, int min, String what) {
        if (length < min) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, what + " shorter than " + min);
        }
        return bytes(length, what);
    }

    /** A sub-reader over a u8-length-prefixed vector; the caller must consume it exactly ({@link #finish}). */
    public TlsReader sub8(String what) {
        return sub(u8(what), what);
    }

    public TlsReader sub16(String what) {
        return sub(u16(what), what);
    }

    public TlsReader sub24(String what) {
        return sub(u24(what), what);
    }

    public TlsReader sub(int length, String what) {
        require(length, what);
        TlsReader child = new TlsReader(buffer, position, position + length);
        position += length;
        return child;
    }

    /** Fails with decode_error unless every byte was consumed: a leftover byte is a malformed message. */
    public void finish(String what) {
        if (position != limit) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, (limit - position) + " trailing bytes in " + what);
        }
    }
}
