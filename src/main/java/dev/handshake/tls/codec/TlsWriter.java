package dev.handshake.tls.codec;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A growable writer for TLS presentation-language structures. Length-prefixed blocks are written by callback so a
 * length is always computed from what was written, never passed in separately.
 */
public final class TlsWriter {

    private byte[] buffer;
    private int size;

    public TlsWriter() {
        this(256);
    }

    public TlsWriter(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }

    public TlsWriter u8(int v) {
        checkRange(v, 0xff);
        ensure(1);
        buffer[size++] = (byte) v;
        return this;
    }

    public TlsWriter u16(int v) {
        checkRange(v, 0xffff);
        ensure(2);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
        return this;
    }

    public TlsWriter u24(int v) {
        checkRange(v, 0xffffff);
        ensure(3);
        buffer[size++] = (byte) (v >>> 16);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
        return this;
    }

    public TlsWriter u32(long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        ensure(4);
        buffer[size++] = (byte) (v >>> 24);
        buffer[size++] = (byte) (v >>> 16);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
        return this;
    }

    public TlsWriter u64(long v) {
        u32(v >>> 32);
        return u32(v & 0xffffffffL);
    }

    public TlsWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public TlsWriter bytes(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, buffer, size, length);
        size += length;
        return this;
    }

    public TlsWriter vector8(byte[] b) {
        return u8(b.length).bytes(b);
    }

    public TlsWriter vector16(byte[] b) {
        return u16(b.length).bytes(b);
    }

    public TlsWriter vector24(byte[] b) {
        return u24(b.length).bytes(b);
    }

    public TlsWriter block8(Consumer<TlsWriter> body) {
        return block(1, 0xff, body);
    }

    public TlsWriter block16(Consumer<TlsWriter> body) {
        return block(2, 0xffff, body);
    }

    public TlsWriter block24(Consumer<TlsWriter> body) {
        return block(3, 0xffffff, body);
    }

    private TlsWriter block(int lengthBytes, int max, Consumer<TlsWriter> body) {
        ensure(lengthBytes);
        int lengthAt = size;
        size += lengthBytes;
        body.accept(this);
        int length = size - lengthAt - lengthBytes;
        if (length > max) {
            throw new IllegalStateException("block of " + length + " bytes exceeds " + max);
        }
        for (int i = lengthBytes - 1; i >= 0; i--) {
            buffer[lengthAt + i] = (byte) length;
            length >>>= 8;
        }
        return this;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private static void checkRange(int v, int max) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException("value " + v + " out of range 0.." + max);
        }
    }
}
