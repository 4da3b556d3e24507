package dev.handshake.tls.keyschedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.PrfHash;
import dev.handshake.tls.wire.CipherSuiteId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.stream.Stream;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TLS 1.2 key schedule checked against Bouncy Castle's TLS crypto (bctls), an implementation written
 * independently of ours, for the same inputs.
 */
class Tls12KeyScheduleTest {

    private static final JcaCryptoProvider PROVIDER = CryptoProviders.preferred();
    private static final BcTlsCrypto BC = new BcTlsCrypto(new java.security.SecureRandom());

    private static final byte[] PRE_MASTER = pattern(48, 0x03);
    private static final byte[] CLIENT_RANDOM = pattern(32, 0x10);
    private static final byte[] SERVER_RANDOM = pattern(32, 0x80);

    static Stream<CipherSuite> tls12Suites() {
        return CipherSuites.all().stream().filter(s -> !s.isTls13());
    }

    @ParameterizedTest
    @MethodSource("tls12Suites")
    void masterSecretAndKeyBlockMatchBouncyCastleTls(CipherSuite suite) {
        int prf = bcPrf(suite.prfHash());
        Secret master = Tls12KeySchedule.masterSecret(PROVIDER, suite.prfHash(), new Secret(PRE_MASTER), CLIENT_RANDOM,
                SERVER_RANDOM);
        TlsSecret bcMaster = BC.createSecret(PRE_MASTER).deriveUsingPRF(prf, "master secret",
                Bytes.concat(CLIENT_RANDOM, SERVER_RANDOM), 48);
        byte[] bcMasterBytes = bcMaster.extract();
        assertThat(master.bytes()).isEqualTo(bcMasterBytes);

        Tls12KeySchedule.KeyBlock keys = Tls12KeySchedule.keyBlock(PROVIDER, suite, master, CLIENT_RANDOM,
                SERVER_RANDOM);
        int mac = suite.mac().length();
        int key = suite.cipher().keyLength();
        int iv = suite.cipher().fixedIvLength();
        byte[] bcBlock = BC.createSecret(bcMasterBytes).deriveUsingPRF(prf, "key expansion",
                Bytes.concat(SERVER_RANDOM, CLIENT_RANDOM), 2 * (mac + key + iv)).extract();

        byte[] ours = Bytes.concat(keys.clientWriteMacKey().bytes(), keys.serverWriteMacKey().bytes(),
                keys.clientWriteKey().bytes(), keys.serverWriteKey().bytes(), keys.clientWriteIv(), keys.serverWriteIv());
        assertThat(ours).isEqualTo(bcBlock);
        assertThat(keys.clientWriteMacKey().length()).isEqualTo(mac);
        assertThat(keys.serverWriteKey().length()).isEqualTo(key);
        assertThat(keys.serverWriteIv()).hasSize(iv);
    }

    @Test
    void keyBlockSeedIsServerRandomThenClientRandom() {
        CipherSuite suite = CipherSuites.require(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        Secret master = new Secret(pattern(48, 0x42));
        Tls12KeySchedule.KeyBlock keys = Tls12KeySchedule.keyBlock(PROVIDER, suite, master, CLIENT_RANDOM, SERVER_RANDOM);
        byte[] expected = Tls12Prf.prf(PROVIDER, PrfHash.SHA256, master.bytes(), "key expansion",
                Bytes.concat(SERVER_RANDOM, CLIENT_RANDOM), 40);
        assertThat(keys.clientWriteKey().bytes()).isEqualTo(Arrays.copyOfRange(expected, 0, 16));
        assertThat(keys.serverWriteKey().bytes()).isEqualTo(Arrays.copyOfRange(expected, 16, 32));
        assertThat(keys.clientWriteIv()).isEqualTo(Arrays.copyOfRange(expected, 32, 36));
        assertThat(keys.serverWriteIv()).isEqualTo(Arrays.copyOfRange(expected, 36, 40));
        assertThat(keys.clientWriteMacKey().length()).isZero();
        // Swapping the randoms must give other keys.
        assertThat(Tls12KeySchedule.keyBlock(PROVIDER, suite, master, SERVER_RANDOM, CLIENT_RANDOM)).isNotEqualTo(keys);
    }

    @Test
    void extendedMasterSecretMatchesBouncyCastleAndDiffersFromTheClassicOne() {
        byte[] sessionHash = sha256("ClientHello..ClientKeyExchange");
        Secret ems = Tls12KeySchedule.extendedMasterSecret(PROVIDER, PrfHash.SHA384, new Secret(PRE_MASTER),
                sessionHash);
        byte[] bc = BC.createSecret(PRE_MASTER).deriveUsingPRF(PRFAlgorithm.tls_prf_sha384, "extended master secret",
                sessionHash, 48).extract();
        assertThat(ems.bytes()).isEqualTo(bc);
        assertThat(ems).isNotEqualTo(Tls12KeySchedule.masterSecret(PROVIDER, PrfHash.SHA384, new Secret(PRE_MASTER),
                CLIENT_RANDOM, SERVER_RANDOM));
    }

    @Test
    void verifyDataIs12BytesWithTheRoleLabel() {
        Secret master = new Secret(pattern(48, 0x42));
        byte[] handshakeHash = sha256("all handshake messages");
        byte[] client = Tls12KeySchedule.verifyData(PROVIDER, PrfHash.SHA256, master, true, handshakeHash);
        byte[] server = Tls12KeySchedule.verifyData(PROVIDER, PrfHash.SHA256, master, false, handshakeHash);
        assertThat(client).hasSize(12).isEqualTo(BC.createSecret(master.bytes())
                .deriveUsingPRF(PRFAlgorithm.tls_prf_sha256, "client finished", handshakeHash, 12).extract());
        assertThat(server).hasSize(12).isEqualTo(BC.createSecret(master.bytes())
                .deriveUsingPRF(PRFAlgorithm.tls_prf_sha256, "server finished", handshakeHash, 12).extract());
    }

    @Test
    void transcriptHashUsesTheSuiteHash() throws Exception {
        byte[] transcript = "handshake bytes".getBytes(StandardCharsets.US_ASCII);
        assertThat(Tls12KeySchedule.transcriptHash(PROVIDER, PrfHash.SHA256, transcript))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(transcript));
        assertThat(Tls12KeySchedule.transcriptHash(PROVIDER, PrfHash.SHA384, transcript))
                .isEqualTo(MessageDigest.getInstance("SHA-384").digest(transcript));
    }

    @Test
    void keyBlockRefusesTls13SuitesAndBadRandoms() {
        Secret master = new Secret(pattern(48, 1));
        assertThatThrownBy(() -> Tls12KeySchedule.keyBlock(PROVIDER,
                CipherSuites.require(CipherSuiteId.TLS_AES_128_GCM_SHA256), master, CLIENT_RANDOM, SERVER_RANDOM))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tls12KeySchedule.masterSecret(PROVIDER, PrfHash.SHA256, master, new byte[31],
                SERVER_RANDOM)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyBlockNeverPrintsItsBytes() {
        CipherSuite suite = CipherSuites.require(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        Tls12KeySchedule.KeyBlock keys = Tls12KeySchedule.keyBlock(PROVIDER, suite, new Secret(pattern(48, 7)),
                CLIENT_RANDOM, SERVER_RANDOM);
        assertThat(keys.toString()).contains("redacted").doesNotContain(Bytes.hex(keys.clientWriteIv()));
    }

    private static int bcPrf(PrfHash hash) {
        return hash == PrfHash.SHA256 ? PRFAlgorithm.tls_prf_sha256 : PRFAlgorithm.tls_prf_sha384;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pattern(int length, int start) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (start + i);
        }
        return out;
    }
}
