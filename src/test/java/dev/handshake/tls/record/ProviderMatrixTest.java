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
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The record layer over each JCA provider the engine may choose per primitive (Amazon Corretto Crypto Provider,
 * Bouncy Castle, the JDK): records sealed through one provider open through the JDK's and the other way round, for
 * every suite a provider serves. In-place encryption and output-buffer handling differ between providers.
 */
class ProviderMatrixTest {

    private static final CryptoProvider JDK = JcaCryptoProvider.jdkDefaults();

    static Stream<Arguments> providersAndSuites() {
        return Stream.of(AmazonCorrettoCryptoProvider.INSTANCE, new BouncyCastleProvider())
                .flatMap(p -> CipherSuites.all().stream().map(s -> Arguments.of(p.getName(), only(p), s)));
    }

    /** A CryptoProvider taking from {@code provider} every record-layer primitive it serves, the rest from the JDK. */
    private static CryptoProvider only(Provider provider) {
        Map<Primitive, Provider> selection = new EnumMap<>(Primitive.class);
        for (Primitive p : new Primitive[] {Primitive.AES_GCM, Primitive.AES_CBC, Primitive.CHACHA20_POLY1305,
                Primitive.DESEDE_CBC, Primitive.RC4, Primitive.HMAC_SHA1, Primitive.HMAC_SHA256, Primitive.HMAC_SHA384}) {
            if (serves(provider, p)) {
                selection.put(p, provider);
            }
        }
        SecureRandom random = new SecureRandom();
        return new JcaCryptoProvider(selection, () -> random, Clock.systemUTC());
    }

    /**
     * Whether getInstance succeeds: Provider.getService misses transformations a provider builds from a base name
     * and a mode (Bouncy Castle serves "AES/GCM/NoPadding" through "AES" and "GCM").
     */
    private static boolean serves(Provider provider, Primitive p) {
        try {
            if (p.serviceType().equals("Mac")) {
                javax.crypto.Mac.getInstance(p.algorithm(), provider);
            } else {
                javax.crypto.Cipher.getInstance(p.algorithm(), provider);
            }
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("providersAndSuites")
    void recordsCrossBetweenProviders(String name, CryptoProvider provider, CipherSuite suite) {
        Random random = new Random(suite.id().code());
        ProtectionState state = randomState(suite, random);
        ProtectionState viaProvider = state;
        ProtectionState viaJdk = state;
        for (int length : new int[] {0, 1, 31, 1 << 14}) {
            byte[] plaintext = bytes(random, length);
            RecordProtection.Sealed a = RecordProtection.seal(provider, viaProvider, ContentType.APPLICATION_DATA, plaintext);
            RecordProtection.Opened b = RecordProtection.open(JDK, viaJdk, RecordFramer.split(a.record(), true).records().get(0));
            assertThat(b.plaintext()).isEqualTo(plaintext);
            RecordProtection.Sealed c = RecordProtection.seal(JDK, b.next(), ContentType.APPLICATION_DATA, plaintext);
            RecordProtection.Opened d = RecordProtection.open(provider, a.next(),
                    RecordFramer.split(c.record(), true).records().get(0));
            assertThat(d.plaintext()).isEqualTo(plaintext);
            viaProvider = d.next();
            viaJdk = c.next();
        }
    }
}
