package dev.handshake.tls.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.wire.ProtocolVersion;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RsaPreMasterSecretTest {

    /** What the server's R is under the fixed random source: every malformed case must come out as exactly this. */
    private static final byte[] R = filled(0x5a);

    private static final int K = 256;

    static Stream<Named<JcaCryptoProvider>> providers() {
        List<Named<JcaCryptoProvider>> all = new ArrayList<>();
        all.add(Named.of("jdk", fixed(CryptoProviders.jdk())));
        // Bouncy Castle's raw RSA drops the leading zero byte of the block: the left-pad must restore it.
        all.add(Named.of("bouncyCastle", fixed(CryptoProviders.bouncyCastle())));
        CryptoProviders.corretto().ifPresent(p -> all.add(Named.of("corretto", fixed(p))));
        all.add(Named.of("preferred", fixed(CryptoProviders.preferred())));
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void validEncryptionByTheJdkDecryptsToTheSecret(JcaCryptoProvider provider) throws Exception {
        byte[] preMaster = preMaster(0x03, 0x03);
        Cipher jdk = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        jdk.init(Cipher.ENCRYPT_MODE, TestKeys.RSA.getPublic());
        byte[] encrypted = jdk.doFinal(preMaster);

        assertThat(RsaPreMasterSecret.decrypt(provider, TestKeys.RSA.getPrivate(), encrypted, ProtocolVersion.TLS1_2))
                .isEqualTo(preMaster);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void clientSideEncryptionRoundTrips(JcaCryptoProvider provider) {
        byte[] preMaster = RsaPreMasterSecret.generate(CryptoProviders.jdk(), ProtocolVersion.TLS1_2);
        assertThat(preMaster).hasSize(48).startsWith(3, 3);
        byte[] encrypted = RsaPreMasterSecret.encrypt(provider, TestKeys.RSA.getPublic(), preMaster);
        assertThat(encrypted).hasSize(K);
        assertThat(RsaPreMasterSecret.decrypt(provider, TestKeys.RSA.getPrivate(), encrypted, ProtocolVersion.TLS1_2))
                .isEqualTo(preMaster);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void wrongVersionYieldsR(JcaCryptoProvider provider) {
        // A rollback: the block says TLS 1.1 while ClientHello offered TLS 1.2.
        assertYieldsR(provider, rawEncrypt(block(2, K - 3 - 48, preMaster(0x03, 0x02))), preMaster(0x03, 0x02));
        // The negotiated version is not the reference: only the ClientHello version is (RFC 5246 §7.4.7.1).
        byte[] tls13 = preMaster(0x03, 0x04);
        assertYieldsR(provider, rawEncrypt(block(2, K - 3 - 48, tls13)), tls13);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void wrongBlockTypeYieldsR(JcaCryptoProvider provider) {
        byte[] preMaster = preMaster(0x03, 0x03);
        assertYieldsR(provider, rawEncrypt(block(1, K - 3 - 48, preMaster)), preMaster);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void nonZeroFirstByteYieldsR(JcaCryptoProvider provider) {
        byte[] preMaster = preMaster(0x03, 0x03);
        byte[] block = block(2, K - 3 - 48, preMaster);
        block[0] = 0x01; // still below the modulus, whose top byte is at least 0x80
        assertYieldsR(provider, rawEncrypt(block), preMaster);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void zeroByteInsidePaddingYieldsR(JcaCryptoProvider provider) {
        byte[] preMaster = preMaster(0x03, 0x03);
        byte[] block = block(2, K - 3 - 48, preMaster);
        block[2 + 5] = 0; // PS shorter than 8 bytes: the separator comes too early
        assertYieldsR(provider, rawEncrypt(block), preMaster);
        block = block(2, K - 3 - 48, preMaster);
        block[100] = 0; // a zero in the middle of PS means a longer message
        assertYieldsR(provider, rawEncrypt(block), preMaster);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void missingSeparatorYieldsR(JcaCryptoProvider provider) {
        byte[] preMaster = preMaster(0x03, 0x03);
        byte[] block = block(2, K - 3 - 48, preMaster);
        block[K - 49] = 0x11;
        assertYieldsR(provider, rawEncrypt(block), preMaster);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void messagesOf47And49BytesYieldR(JcaCryptoProvider provider) {
        byte[] short47 = Arrays.copyOf(preMaster(0x03, 0x03), 47);
        assertYieldsR(provider, rawEncrypt(block(2, K - 3 - 47, short47)), Arrays.copyOf(short47, 48));
        byte[] long49 = Arrays.copyOf(preMaster(0x03, 0x03), 49);
        long49[48] = 0x77;
        assertYieldsR(provider, rawEncrypt(block(2, K - 3 - 49, long49)), Arrays.copyOfRange(long49, 1, 49));
        assertYieldsR(provider, rawEncrypt(block(2, K - 3 - 49, long49)), Arrays.copyOf(long49, 48));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void ciphertextOfTheWrongLengthYieldsR(JcaCryptoProvider provider) throws Exception {
        byte[] preMaster = preMaster(0x03, 0x03);
        byte[] encrypted = RsaPreMasterSecret.encrypt(CryptoProviders.jdk(), TestKeys.RSA.getPublic(), preMaster);
        assertYieldsR(provider, Arrays.copyOf(encrypted, K - 1), preMaster);
        assertYieldsR(provider, Arrays.copyOfRange(encrypted, 1, K), preMaster);
        assertYieldsR(provider, Arrays.copyOf(encrypted, K + 1), preMaster);
        assertYieldsR(provider, new byte[0], preMaster);
        // A leading zero byte makes the number the same but the encoding too long: still the wrong length.
        byte[] prefixed = new byte[K + 1];
        System.arraycopy(encrypted, 0, prefixed, 1, K);
        assertYieldsR(provider, prefixed, preMaster);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void ciphertextAtOrAboveTheModulusYieldsR(JcaCryptoProvider provider) {
        byte[] modulus = unsigned(((RSAPublicKey) TestKeys.RSA.getPublic()).getModulus());
        assertYieldsR(provider, modulus, null);
        assertYieldsR(provider, filled(0xff, K), null);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void arbitraryInputNeverThrowsAndAlwaysGives48Bytes(JcaCryptoProvider provider) {
        Random random = new Random(7);
        for (int i = 0; i < 64; i++) {
            byte[] junk = new byte[random.nextBoolean() ? K : random.nextInt(600)];
            random.nextBytes(junk);
            assertThat(RsaPreMasterSecret.decrypt(provider, TestKeys.RSA.getPrivate(), junk, ProtocolVersion.TLS1_2))
                    .hasSize(48);
        }
    }

    @Test
    void randomIsDrawnEvenWhenTheBlockIsGood() throws Exception {
        // RFC 5246 §7.4.7.1 step 1 comes before the decryption: counting draws shows R is made on every path.
        int[] draws = {0};
        SecureRandom counting = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                draws[0]++;
                Arrays.fill(bytes, (byte) 0x5a);
            }
        };
        JcaCryptoProvider provider = CryptoProviders.jdk().with(() -> counting, Clock.systemUTC());
        byte[] preMaster = preMaster(0x03, 0x03);
        byte[] encrypted = RsaPreMasterSecret.encrypt(CryptoProviders.jdk(), TestKeys.RSA.getPublic(), preMaster);
        assertThat(RsaPreMasterSecret.decrypt(provider, TestKeys.RSA.getPrivate(), encrypted, ProtocolVersion.TLS1_2))
                .isEqualTo(preMaster);
        assertThat(draws[0]).isEqualTo(1);
    }

    private static void assertYieldsR(JcaCryptoProvider provider, byte[] encrypted, byte[] plaintextSecret) {
        byte[] result = RsaPreMasterSecret.decrypt(provider, TestKeys.RSA.getPrivate(), encrypted,
                ProtocolVersion.TLS1_2);
        assertThat(result).hasSize(48).isEqualTo(R);
        if (plaintextSecret != null) {
            assertThat(result).isNotEqualTo(plaintextSecret);
        }
    }

    /** 0x00, blockType, psLength nonzero bytes, 0x00, message. */
    private static byte[] block(int blockType, int psLength, byte[] message) {
        byte[] block = new byte[K];
        block[1] = (byte) blockType;
        Arrays.fill(block, 2, 2 + psLength, (byte) 0x3c);
        block[2 + psLength] = 0;
        System.arraycopy(message, 0, block, 3 + psLength, message.length);
        if (3 + psLength + message.length != K) {
            throw new IllegalArgumentException("block does not fill the modulus");
        }
        return block;
    }

    private static byte[] rawEncrypt(byte[] block) {
        try {
            Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
            raw.init(Cipher.ENCRYPT_MODE, TestKeys.RSA.getPublic());
            return raw.doFinal(block);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] preMaster(int major, int minor) {
        byte[] preMaster = new byte[48];
        for (int i = 0; i < preMaster.length; i++) {
            preMaster[i] = (byte) (0xa0 + i);
        }
        preMaster[0] = (byte) major;
        preMaster[1] = (byte) minor;
        return preMaster;
    }

    private static JcaCryptoProvider fixed(JcaCryptoProvider provider) {
        SecureRandom fixed = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) 0x5a);
            }
        };
        return provider.with(() -> fixed, Clock.systemUTC());
    }

    private static byte[] filled(int value) {
        return filled(value, 48);
    }

    private static byte[] filled(int value, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] bytes = n.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
