package dev.handshake.tls;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.wire.AlertDescription;

/**
 * Proof that the peer's Finished was checked. The only way to obtain one is {@link #check}, a constant-time
 * comparison, and the states that carry application data can only be built from one: a state machine cannot reach
 * traffic while skipping the Finished check (the EarlyCCS / SKIP-TLS class of bugs; rustls's verify.rs).
 */
public final class FinishedVerified {

    private FinishedVerified() {
    }

    public static FinishedVerified check(byte[] expected, byte[] received) {
        // both lengths are public (12 in TLS 1.2, the hash length in 1.3): a Finished of another length is malformed
        // (decode_error) in every handshake, full or resumed; only the content comparison must not leak
        if (received.length != expected.length) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "Finished of " + received.length + " bytes, not "
                    + expected.length);
        }
        if (!Bytes.constantTimeEquals(expected, received)) {
            throw new TlsAlertException(AlertDescription.DECRYPT_ERROR, "Finished verify_data does not match");
        }
        return new FinishedVerified();
    }
}
