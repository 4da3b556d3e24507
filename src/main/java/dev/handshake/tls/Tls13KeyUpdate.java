package dev.handshake.tls;

import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.TrafficSecret;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.message.KeyUpdate;
import dev.handshake.tls.suite.CipherSuite;

/**
 * KeyUpdate (RFC 8446 §4.6.3), shared by both TLS 1.3 roles: TLS 1.3 has no renegotiation, so seed step 11 is a key
 * update, and every event here names {@link SeedStep#RENEGOTIATION}.
 */
public final class Tls13KeyUpdate {

    /** The application traffic secrets after a key update: what the connection reads with and writes with. */
    public record Secrets(TrafficSecret read, TrafficSecret write) {
    }

    private Tls13KeyUpdate() {
    }

    /**
     * The peer's KeyUpdate: the read side moves to the next secret; when the peer asked, ours follows with a
     * KeyUpdate(update_not_requested) sent under the old write keys (RFC 8446 §4.6.3).
     */
    public static Secrets receive(HandshakeContext context, HandshakeFrame message, CipherSuite suite,
                                  TrafficSecret read, TrafficSecret write) {
        KeyUpdate update = KeyUpdate.decode(message.body());
        context.received(SeedStep.RENEGOTIATION, update, message);
        CryptoProvider crypto = context.crypto();
        TrafficSecret nextRead = read.next(crypto);
        context.changeReadProtection(SeedStep.RENEGOTIATION, nextRead.protection(crypto, suite),
                suite.name() + " after the peer's KeyUpdate");
        context.event(new HandshakeEvent.ValueComputed(SeedStep.RENEGOTIATION, "key_update",
                "TLS 1.3 has no renegotiation: the peer updated its traffic keys"
                        + (update.updateRequested() ? " and asked us to update ours" : "")));
        TrafficSecret nextWrite = write;
        if (update.updateRequested()) {
            nextWrite = send(context, suite, write, false);
        }
        return new Secrets(nextRead, nextWrite);
    }

    /** Sends our KeyUpdate under the current keys and moves the write side to the next secret. */
    public static TrafficSecret send(HandshakeContext context, CipherSuite suite, TrafficSecret write,
                                     boolean requestUpdate) {
        CryptoProvider crypto = context.crypto();
        context.send(SeedStep.RENEGOTIATION, new KeyUpdate(requestUpdate));
        TrafficSecret next = write.next(crypto);
        context.changeWriteProtection(SeedStep.RENEGOTIATION, next.protection(crypto, suite),
                suite.name() + " after our KeyUpdate");
        return next;
    }
}
