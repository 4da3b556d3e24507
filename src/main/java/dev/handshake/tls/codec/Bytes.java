package dev.handshake.tls.codec;

import java.security.MessageDigest;
import java.util.HexFormat;

/** Small byte-array operations the protocol code needs in many places. */
public final class Bytes {

    public static final byte[] EMPTY = new byte[0];
    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {
    }

    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** Compares in time that depends only on the lengths (MessageDigest.isEqual is constant-time since JDK 6u17). */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] fromHex(String hex) {
        return HEX.parseHex(hex.replaceAll("\\s+", ""));
    }

    public static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }
}
