package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Value semantics for the opaque byte vectors that message and extension records hold: a record's generated
 * {@code equals} compares arrays by identity, so records with {@code byte[]} or {@code List<byte[]>} components use
 * these to copy in, copy out and compare by content.
 */
public final class Opaque {

    private Opaque() {
    }

    /** An unmodifiable deep copy: the record keeps its own arrays, so a caller's later write cannot change it. */
    public static List<byte[]> copyAll(List<byte[]> values) {
        List<byte[]> copy = new ArrayList<>(values.size());
        for (byte[] value : values) {
            copy.add(value.clone());
        }
        return List.copyOf(copy);
    }

    public static boolean equal(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    public static int hash(List<byte[]> values) {
        int h = 1;
        for (byte[] value : values) {
            h = 31 * h + Arrays.hashCode(value);
        }
        return h;
    }

    public static List<String> hexAll(List<byte[]> values) {
        List<String> out = new ArrayList<>(values.size());
        for (byte[] value : values) {
            out.add(Bytes.hex(value));
        }
        return out;
    }
}
