package dev.handshake.tls.keyschedule;

import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.record.ProtectionState;
import dev.handshake.tls.suite.CipherSuite;

/**
 * The record protection each side switches to at its ChangeCipherSpec (seed step 7): the key block cut into the
 * client's and the server's write states (RFC 5246 §6.3).
 */
public record Tls12TrafficKeys(ProtectionState clientWrite, ProtectionState serverWrite) {

    public static Tls12TrafficKeys derive(CryptoProvider crypto, CipherSuite suite, Secret masterSecret,
                                          byte[] clientRandom, byte[] serverRandom) {
        Tls12KeySchedule.KeyBlock block = Tls12KeySchedule.keyBlock(crypto, suite, masterSecret, clientRandom, serverRandom);
        return new Tls12TrafficKeys(
                ProtectionState.tls12(suite, block.clientWriteKey(), block.clientWriteMacKey(), block.clientWriteIv()),
                ProtectionState.tls12(suite, block.serverWriteKey(), block.serverWriteMacKey(), block.serverWriteIv()));
    }
}
