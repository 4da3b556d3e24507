package dev.handshake.tls.crypto;

import java.util.Arrays;

/**
 * Secret key material (pre-master, master, traffic secrets, keys). It serializes with the state it belongs to, but
 * its {@code toString} never shows the bytes, so a secret that slips into a log line or exception text stays hidden.
 */
public record Secret(byte[] bytes) {

    public Secret {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && java.security.MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "Secret[redacted, " + bytes.length + " bytes]";
    }
}
