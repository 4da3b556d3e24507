package dev.handshake.tls.record;

import static dev.handshake.tls.record.RecordFixtures.bytes;
import static dev.handshake.tls.record.RecordFixtures.randomState;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import dev.handshake.tls.crypto.Primitive;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.wire.ContentType;
import java.nio.ByteBuffer;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RecordProtection#sealInto}: records sealed from and into {@link ByteBuffer}s (direct, as the proxy's are, and
 * heap) are the records {@link RecordProtection#seal} makes, for every suite and every provider that may serve the
 * cipher, and they open. Providers differ in how they handle buffers, streaming update() and reuse.
 */
class SealIntoBufferTest {

    private static final CryptoProvider JDK = JcaCryptoProvider.jdkDefaults();

    static Stream<Arguments> providersAndSuites() {
        return Stream.of(JDK, with(AmazonCorrettoCryptoProvider.INSTANCE), with(new BouncyCastleProvider()))
                .flatMap(crypto -> CipherSuites.all().stream().map(suite -> Arguments.of(crypto, suite)));
    }

    private static CryptoProvider with(Provider provider) {
        Map<Primitive, Provider> selection = new EnumMap<>(Primitive.class);
        for (Primitive p : new Primitive[] {Primitive.AES_GCM, Primitive.CHACHA20_POLY1305}) {
            try {
                javax.crypto.Cipher.getInstance(p.algorithm(), provider);
                selection.put(p, provider);
            } catch (java.security.GeneralSecurityException e) {
                // not served: the JDK's, as production's selection would fall back
            }
        }
        SecureRandom random = new SecureRandom();
        return new JcaCryptoProvider(selection, () -> random, Clock.systemUTC());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("providersAndSuites")
    void sealsTheSameRecordsAsTheArrayPathAndTheyOpen(CryptoProvider crypto, CipherSuite suite) {
        Random random = new Random(11);
        ProtectionState writer = randomState(suite, random);
        ProtectionState arrayWriter = writer;
        ProtectionState reader = writer;
        for (int length : new int[] {0, 1, 100, 1 << 14}) {
            for (boolean direct : new boolean[] {true, false}) {
                byte[] plaintext = bytes(random, length);
                ByteBuffer in = buffer(direct, length).put(plaintext).flip();
                ByteBuffer out = buffer(direct, RecordProtection.maxSealedLength(writer, length) + 3).position(3);
                writer = RecordProtection.sealInto(crypto, writer, ContentType.APPLICATION_DATA, in, out);
                assertThat(in.hasRemaining()).isFalse();
                byte[] record = new byte[out.position() - 3];
                out.flip().position(3);
                out.get(record);

                RecordProtection.Sealed sealed = RecordProtection.seal(JDK, arrayWriter, ContentType.APPLICATION_DATA,
                        plaintext);
                arrayWriter = sealed.next();
                if (suite.cipher().blockSize() == 0) {
                    // AEAD and stream suites are deterministic: the same bytes as the array path
                    assertThat(record).isEqualTo(sealed.record());
                } else {
                    // CBC draws a random IV per record: same length, and it must open
                    assertThat(record).hasSameSizeAs(sealed.record());
                }
                assertThat(writer).isEqualTo(arrayWriter);
                RecordFramer.Framed framed = RecordFramer.split(record, TlsRecord.MAX_CIPHERTEXT_LENGTH_TLS12);
                RecordProtection.Opened opened = RecordProtection.open(JDK, reader, framed.records().get(0));
                reader = opened.next();
                assertThat(opened.type()).isEqualTo(ContentType.APPLICATION_DATA);
                assertThat(opened.plaintext()).isEqualTo(plaintext);
            }
        }
    }

    @Test
    void theSameStateSealedTwiceOnOneThreadGivesTheSameRecordEvenWhereTheJdkRefusesANonceReuse() {
        // the JDK's GCM Cipher refuses a second encryption with its last key and nonce; a replayed state must still seal
        CipherSuite suite = CipherSuites.require(dev.handshake.tls.wire.CipherSuiteId.TLS_AES_128_GCM_SHA256);
        ProtectionState state = randomState(suite, new Random(3));
        byte[] plaintext = {1, 2, 3};
        byte[] first = RecordProtection.seal(JDK, state, ContentType.APPLICATION_DATA, plaintext).record();
        byte[] again = RecordProtection.seal(JDK, state, ContentType.APPLICATION_DATA, plaintext).record();
        assertThat(again).isEqualTo(first);
    }

    private static ByteBuffer buffer(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }
}
