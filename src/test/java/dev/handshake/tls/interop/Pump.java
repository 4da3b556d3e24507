package dev.handshake.tls.interop;

import dev.handshake.testing.TlsPeer;

/** Moves bytes between our engine and an in-memory peer until neither has anything more to say. */
public final class Pump {

    private Pump() {
    }

    /** Returns the number of exchanges it took; fails if the two keep talking past a sane bound. */
    public static int run(EngineEndpoint ours, TlsPeer peer) {
        for (int round = 0; round < 64; round++) {
            byte[] fromUs = ours.takeOutput();
            byte[] fromPeer = peer.receive(fromUs);
            byte[] produced = peer.produce();
            byte[] toUs = concat(fromPeer, produced);
            ours.receive(toUs);
            if (fromUs.length == 0 && toUs.length == 0) {
                return round;
            }
        }
        throw new AssertionError("endpoints did not go quiet within 64 rounds");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
