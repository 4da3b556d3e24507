package dev.handshake.tls.keyschedule;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.PrfHash;
import java.util.Arrays;

/**
 * The TLS 1.2 key schedule: master secret (RFC 5246 §8.1), extended master secret (RFC 7627 §4), key block
 * (RFC 5246 §6.3) and Finished verify_data (RFC 5246 §7.4.9), all from {@link Tls12Prf}.
 */
public final class Tls12KeySchedule {

    /** RFC 5246 §8.1: the master secret is always 48 bytes. */
    public static final int MASTER_SECRET_LENGTH = 48;
    /** RFC 5246 §7.4.9: verify_data_length is 12 for every TLS 1.2 cipher suite we implement. */
    public static final int VERIFY_DATA_LENGTH = 12;
    /** RFC 5246 §7.4.1.2: ClientHello.random and ServerHello.random are 32 bytes. */
    public static final int RANDOM_LENGTH = 32;

    static final String MASTER_SECRET = "master secret";
    static final String EXTENDED_MASTER_SECRET = "extended master secret";
    static final String KEY_EXPANSION = "key expansion";
    static final String CLIENT_FINISHED = "client finished";
    static final String SERVER_FINISHED = "server finished";

    private Tls12KeySchedule() {
    }

    /** The keys and IVs of both directions, cut from the key block in the order of RFC 5246 §6.3. */
    public record KeyBlock(Secret clientWriteMacKey, Secret serverWriteMacKey, Secret clientWriteKey,
            Secret serverWriteKey, byte[] clientWriteIv, byte[] serverWriteIv) {

        public KeyBlock {
            clientWriteIv = clientWriteIv.clone();
            serverWriteIv = serverWriteIv.clone();
        }

        @Override
        public byte[] clientWriteIv() {
            return clientWriteIv.clone();
        }

        @Override
        public byte[] serverWriteIv() {
            return serverWriteIv.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBlock other && clientWriteMacKey.equals(other.clientWriteMacKey)
                    && serverWriteMacKey.equals(other.serverWriteMacKey) && clientWriteKey.equals(other.clientWriteKey)
                    && serverWriteKey.equals(other.serverWriteKey)
                    && Bytes.constantTimeEquals(clientWriteIv, other.clientWriteIv)
                    && Bytes.constantTimeEquals(serverWriteIv, other.serverWriteIv);
        }

        @Override
        public int hashCode() {
            return clientWriteKey.length();
        }

        /** The fixed IVs are secret too (they complete the AEAD nonce), so nothing here is printed. */
        @Override
        public String toString() {
            return "KeyBlock[redacted, mac " + clientWriteMacKey.length() + ", key " + clientWriteKey.length()
                    + ", iv " + clientWriteIv.length + " bytes per direction]";
        }
    }

    /** RFC 5246 §8.1: PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]. */
    public static Secret masterSecret(CryptoProvider provider, PrfHash hash, Secret preMaster, byte[] clientRandom,
            byte[] serverRandom) {
        requireRandom(clientRandom, "client");
        requireRandom(serverRandom, "server");
        return new Secret(Tls12Prf.prf(provider, hash, preMaster.bytes(), MASTER_SECRET,
                Bytes.concat(clientRandom, serverRandom), MASTER_SECRET_LENGTH));
    }

    /**
     * RFC 7627 §4: PRF(pre_master_secret, "extended master secret", session_hash)[0..47], where session_hash is the
     * transcript hash up to and including ClientKeyExchange. Binding the master secret to the whole handshake closes
     * the triple-handshake attack.
     */
    public static Secret extendedMasterSecret(CryptoProvider provider, PrfHash hash, Secret preMaster,
            byte[] sessionHash) {
        return new Secret(Tls12Prf.prf(provider, hash, preMaster.bytes(), EXTENDED_MASTER_SECRET, sessionHash,
                MASTER_SECRET_LENGTH));
    }

    /**
     * RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random) — note the
     * order, the reverse of the master secret's seed — cut into client MAC key, server MAC key, client key, server
     * key, client IV, server IV. The IVs are the AEAD fixed parts (RFC 5288 §3, RFC 7905 §2); CBC suites in TLS 1.2
     * carry their IV in each record and take none from here.
     */
    public static KeyBlock keyBlock(CryptoProvider provider, CipherSuite suite, Secret master, byte[] clientRandom,
            byte[] serverRandom) {
        if (suite.isTls13()) {
            throw new IllegalArgumentException(suite + " is a TLS 1.3 suite; its keys come from the TLS 1.3 schedule");
        }
        requireRandom(clientRandom, "client");
        requireRandom(serverRandom, "server");
        int macLength = suite.mac().length();
        int keyLength = suite.cipher().keyLength();
        int ivLength = suite.cipher().fixedIvLength();
        byte[] block = Tls12Prf.prf(provider, suite.prfHash(), master.bytes(), KEY_EXPANSION,
                Bytes.concat(serverRandom, clientRandom), 2 * (macLength + keyLength + ivLength));
        try {
            int at = 0;
            Secret clientMac = new Secret(Arrays.copyOfRange(block, at, at += macLength));
            Secret serverMac = new Secret(Arrays.copyOfRange(block, at, at += macLength));
            Secret clientKey = new Secret(Arrays.copyOfRange(block, at, at += keyLength));
            Secret serverKey = new Secret(Arrays.copyOfRange(block, at, at += keyLength));
            byte[] clientIv = Arrays.copyOfRange(block, at, at += ivLength);
            byte[] serverIv = Arrays.copyOfRange(block, at, at + ivLength);
            return new KeyBlock(clientMac, serverMac, clientKey, serverKey, clientIv, serverIv);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }

    /**
     * RFC 5246 §7.4.9: verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11], with
     * "client finished" for the client's Finished and "server finished" for the server's.
     */
    public static byte[] verifyData(CryptoProvider provider, PrfHash hash, Secret master, boolean client,
            byte[] handshakeHash) {
        return Tls12Prf.prf(provider, hash, master.bytes(), client ? CLIENT_FINISHED : SERVER_FINISHED, handshakeHash,
                VERIFY_DATA_LENGTH);
    }

    /** The suite's hash of the handshake messages so far (RFC 5246 §7.4.9, RFC 7627 §3). */
    public static byte[] transcriptHash(CryptoProvider provider, PrfHash hash, byte[] transcript) {
        return provider.messageDigest(hash.digest()).digest(transcript);
    }

    private static void requireRandom(byte[] random, String who) {
        if (random.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException(who + " random is " + random.length + " bytes, not " + RANDOM_LENGTH);
        }
    }
}
