package dev.handshake.tls.crypto;

import dev.handshake.tls.suite.PrfHash;
import org.bouncycastle.crypto.digests.EncodableDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;

/**
 * A hash over a message prefix, suspended as bytes and resumed later over more messages: what TLS 1.3 post-handshake
 * authentication needs, because its Handshake Context is the whole handshake's transcript (RFC 8446 §4.4) and the
 * connection state between calls must be bytes.
 *
 * <p>Without it the state kept every handshake message (3 KB and more with a real certificate chain) for as long as
 * the connection lives, for a client that merely offered post_handshake_auth. The suspended form is the digest's
 * internal state, about 100 bytes. A JCA {@code MessageDigest} cannot export its state, so this is the one primitive
 * that does not go through a {@link CryptoProvider}: Bouncy Castle's SHA-2 digests are the only ones that encode their
 * state ({@link EncodableDigest}). It runs a few times per post-handshake exchange, never per record.
 */
public final class SuspendedDigest {

    private SuspendedDigest() {
    }

    /** Hashes {@code prefix} and returns the digest's state, to be continued by {@link #finishAfter}. */
    public static byte[] suspend(PrfHash hash, byte[] prefix) {
        org.bouncycastle.crypto.Digest digest = newDigest(hash);
        digest.update(prefix, 0, prefix.length);
        return ((EncodableDigest) digest).getEncodedState();
    }

    /** Hash(prefix || {@code more}), where {@code suspended} came from {@link #suspend} over the prefix. */
    public static byte[] finishAfter(PrfHash hash, byte[] suspended, byte[] more) {
        org.bouncycastle.crypto.Digest digest;
        try {
            digest = hash == PrfHash.SHA384 ? new SHA384Digest(suspended) : new SHA256Digest(suspended);
        } catch (RuntimeException e) {
            // only our own state reaches here, but it has been through a store: fail the exchange, never hash garbage
            throw new IllegalStateException("suspended " + hash + " state does not decode");
        }
        digest.update(more, 0, more.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    private static org.bouncycastle.crypto.Digest newDigest(PrfHash hash) {
        return hash == PrfHash.SHA384 ? new SHA384Digest() : new SHA256Digest();
    }
}
