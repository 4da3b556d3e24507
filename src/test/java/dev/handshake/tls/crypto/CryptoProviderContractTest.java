package dev.handshake.tls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.keyschedule.PrfTestVectors;
import dev.handshake.tls.keyschedule.Tls12Prf;
import dev.handshake.tls.wire.SignatureScheme;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers and cross-provider round trips, run against every provider selection we build (the JDK only, Bouncy
 * Castle, Corretto where it loads, and the preferred mix). A single-provider selection skips the primitives it serves
 * by a JDK fallback: those are the JDK's row.
 */
class CryptoProviderContractTest {

    private static final JcaCryptoProvider JDK = CryptoProviders.jdk();
    private static final JcaCryptoProvider PREFERRED = CryptoProviders.preferred();

    static Stream<Named<JcaCryptoProvider>> providers() {
        List<Named<JcaCryptoProvider>> all = new ArrayList<>();
        all.add(Named.of("jdk", JDK));
        all.add(Named.of("bouncyCastle", CryptoProviders.bouncyCastle()));
        CryptoProviders.corretto().ifPresent(p -> all.add(Named.of("corretto", p)));
        all.add(Named.of("preferred", PREFERRED));
        return all.stream();
    }

    /** Skips a primitive the selection does not serve, or serves by a JDK fallback (that is the JDK's row). */
    private static void assumeServes(JcaCryptoProvider provider, Primitive primitive) {
        assumeTrue(provider.selection().containsKey(primitive), () -> primitive + " is not served here");
        assumeTrue(provider == PREFERRED || !provider.fallbacks().contains(primitive),
                () -> primitive + " is a JDK fallback in this selection");
    }

    @Test
    void preferredProviderServesEveryPrimitiveTheEngineUses() {
        for (Primitive p : Primitive.values()) {
            assertThat(PREFERRED.selection()).as("%s", p).containsKey(p);
            assertThat(CryptoProviders.serves(PREFERRED.selection().get(p), p)).as("%s", p).isTrue();
        }
    }

    @Test
    void describeNamesEachPrimitiveOnItsOwnLine() {
        String description = CryptoProviders.describe(PREFERRED);
        assertThat(description.lines()).hasSize(Primitive.values().length);
        assertThat(description).contains("X25519 -> BC");
        assertThat(description).contains("CHACHA20_POLY1305 -> SunJCE\n");
        assertThat(description).contains("CERTIFICATE_FACTORY -> SUN");
        CryptoProviders.correttoProvider().ifPresent(accp ->
                assertThat(description).contains("AES_GCM -> " + accp.getName()));
    }

    @Test
    void singleProviderSelectionsRecordTheirJdkFallbacks() {
        assertThat(JDK.fallbacks()).isEmpty();
        assertThat(JDK.selection().values()).allSatisfy(p -> assertThat(p.getClass().getModule().getName())
                .startsWith("j"));
        CryptoProviders.corretto().ifPresent(accp -> {
            // Corretto 2.5.0 has no ChaCha20-Poly1305 and no X25519: served by the JDK and said so.
            assertThat(accp.fallbacks()).contains(Primitive.CHACHA20_POLY1305, Primitive.X25519, Primitive.RC4);
            assertThat(accp.selection().get(Primitive.CHACHA20_POLY1305).getName()).isEqualTo("SunJCE");
            assertThat(CryptoProviders.describe(accp)).contains("X25519 -> SunEC (fallback)");
        });
    }

    @Test
    void rc4IsFoundInTheJdkUnderItsAlias() {
        // SunJCE registers "ARCFOUR" with the alias "RC4"; the selection must find it by the name it will ask for.
        assertThat(CryptoProviders.jdkProvider(Primitive.RC4)).map(java.security.Provider::getName).contains("SunJCE");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sha256OfAbcIsTheFips180Answer(JcaCryptoProvider provider) {
        assumeServes(provider, Primitive.SHA256);
        assertThat(Bytes.hex(provider.messageDigest(Primitive.SHA256).digest(ascii("abc"))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sha384OfAbcIsTheFips180Answer(JcaCryptoProvider provider) {
        assumeServes(provider, Primitive.SHA384);
        assertThat(Bytes.hex(provider.messageDigest(Primitive.SHA384).digest(ascii("abc"))))
                .isEqualTo("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                        + "8086072ba1e7cc2358baeca134c825a7");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void hmacSha256MatchesRfc4231TestCase2(JcaCryptoProvider provider) throws Exception {
        assumeServes(provider, Primitive.HMAC_SHA256);
        Mac mac = provider.mac(Primitive.HMAC_SHA256);
        mac.init(new SecretKeySpec(ascii("Jefe"), "HmacSHA256"));
        assertThat(Bytes.hex(mac.doFinal(ascii("what do ya want for nothing?"))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    /** McGrew and Viega, "The Galois/Counter Mode of Operation", test case 4 (AES-128, 60-byte plaintext, AAD). */
    @ParameterizedTest
    @MethodSource("providers")
    void aes128GcmMatchesGcmSpecTestCase4(JcaCryptoProvider provider) throws Exception {
        assumeServes(provider, Primitive.AES_GCM);
        byte[] key = Bytes.fromHex("feffe9928665731c6d6a8f9467308308");
        byte[] iv = Bytes.fromHex("cafebabefacedbaddecaf888");
        byte[] aad = Bytes.fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] plaintext = Bytes.fromHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        String expected = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091" + "5bc94fbc3221a5db94fae95ae7121a47";

        Cipher encrypt = provider.cipher(Primitive.AES_GCM);
        encrypt.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        encrypt.updateAAD(aad);
        assertThat(Bytes.hex(encrypt.doFinal(plaintext))).isEqualTo(expected);

        Cipher decrypt = provider.cipher(Primitive.AES_GCM);
        decrypt.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        decrypt.updateAAD(aad);
        assertThat(decrypt.doFinal(Bytes.fromHex(expected))).isEqualTo(plaintext);

        byte[] forged = Bytes.fromHex(expected);
        forged[forged.length - 1] ^= 1;
        decrypt.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        decrypt.updateAAD(aad);
        assertThrowsBadTag(() -> decrypt.doFinal(forged));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void chaCha20Poly1305MatchesRfc8439Section282(JcaCryptoProvider provider) throws Exception {
        assumeServes(provider, Primitive.CHACHA20_POLY1305);
        byte[] key = Bytes.fromHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Bytes.fromHex("070000004041424344454647");
        byte[] aad = Bytes.fromHex("50515253c0c1c2c3c4c5c6c7");
        byte[] plaintext = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
                + "the future, sunscreen would be it.");
        String expected = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691";

        Cipher encrypt = provider.cipher(Primitive.CHACHA20_POLY1305);
        encrypt.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        encrypt.updateAAD(aad);
        assertThat(Bytes.hex(encrypt.doFinal(plaintext))).isEqualTo(expected);

        Cipher decrypt = provider.cipher(Primitive.CHACHA20_POLY1305);
        decrypt.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        decrypt.updateAAD(aad);
        assertThat(decrypt.doFinal(Bytes.fromHex(expected))).isEqualTo(plaintext);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void x25519MatchesRfc7748Section61(JcaCryptoProvider provider) throws Exception {
        assumeServes(provider, Primitive.X25519);
        String alicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
        String alicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
        String bobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
        String bobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

        assertThat(Bytes.hex(x25519(provider, alicePrivate, bobPublic))).isEqualTo(shared);
        assertThat(Bytes.hex(x25519(provider, bobPrivate, alicePublic))).isEqualTo(shared);
        // the same through the provider's X25519 function (Bouncy Castle's arithmetic directly where it serves X25519)
        X25519Function function = provider.x25519();
        assertThat(Bytes.hex(function.sharedSecret(Bytes.fromHex(alicePrivate), Bytes.fromHex(bobPublic)))).isEqualTo(shared);
        assertThat(Bytes.hex(function.sharedSecret(Bytes.fromHex(bobPrivate), Bytes.fromHex(alicePublic)))).isEqualTo(shared);
        // a key pair drawn from Alice's 32 bytes has her public key
        X25519Function.KeyPair pair = function.generateKeyPair(new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(Bytes.fromHex(alicePrivate), 0, bytes, 0, bytes.length);
            }
        });
        assertThat(Bytes.hex(pair.publicKey())).isEqualTo(alicePublic);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void tls12PrfMatchesTheKnownAnswers(JcaCryptoProvider provider) {
        for (PrfTestVectors.Vector v : PrfTestVectors.tls12()) {
            assumeServes(provider, v.hash().hmac());
            byte[] out = Tls12Prf.prf(provider, v.hash(), v.secret(), v.label(), v.seed(), v.output().length);
            assertThat(Bytes.hex(out)).as(v.name()).isEqualTo(Bytes.hex(v.output()));
        }
    }

    static Stream<Arguments> providersAndSchemes() {
        List<SignatureScheme> schemes = List.of(
                SignatureScheme.RSA_PKCS1_SHA256, SignatureScheme.RSA_PKCS1_SHA384, SignatureScheme.RSA_PKCS1_SHA512,
                SignatureScheme.RSA_PSS_RSAE_SHA256, SignatureScheme.RSA_PSS_RSAE_SHA384,
                SignatureScheme.RSA_PSS_RSAE_SHA512, SignatureScheme.ECDSA_SECP256R1_SHA256,
                SignatureScheme.ECDSA_SECP384R1_SHA384, SignatureScheme.ED25519, SignatureScheme.RSA_PSS_PSS_SHA256);
        return providers().flatMap(p -> schemes.stream().map(s -> Arguments.of(p, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndSchemes")
    void signaturesCrossVerifyWithTheJdk(JcaCryptoProvider provider, SignatureScheme scheme) {
        assumeServes(provider, Signatures.primitive(scheme).orElseThrow());
        KeyPair keys = TestKeys.forScheme(scheme);
        byte[] data = ascii("ServerKeyExchange params signed under " + scheme);

        byte[] signature = Signatures.sign(provider, scheme, keys.getPrivate(), data);
        assertThat(Signatures.verify(JDK, scheme, keys.getPublic(), data, signature)).as("JDK verifies").isTrue();
        assertThat(Signatures.verify(provider, scheme, keys.getPublic(), data, signature)).as("self verifies").isTrue();

        byte[] jdkSignature = Signatures.sign(JDK, scheme, keys.getPrivate(), data);
        assertThat(Signatures.verify(provider, scheme, keys.getPublic(), data, jdkSignature)).as("verifies JDK's")
                .isTrue();

        byte[] otherData = data.clone();
        otherData[0] ^= 1;
        assertThat(Signatures.verify(provider, scheme, keys.getPublic(), otherData, signature)).isFalse();
    }

    private static byte[] x25519(JcaCryptoProvider provider, String privateHex, String peerPublicHex)
            throws GeneralSecurityException {
        // PKCS#8 and SubjectPublicKeyInfo with OID 1.3.101.110 (RFC 8410): an encoding every provider reads.
        KeyFactory factory = provider.keyFactory(Primitive.X25519_KEY_FACTORY);
        PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(
                Bytes.fromHex("302e020100300506032b656e04220420" + privateHex)));
        PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(
                Bytes.fromHex("302a300506032b656e032100" + peerPublicHex)));
        KeyAgreement agreement = provider.keyAgreement(Primitive.X25519);
        agreement.init(privateKey);
        agreement.doPhase(publicKey, true);
        return agreement.generateSecret();
    }

    private static void assertThrowsBadTag(Executable executable) {
        org.junit.jupiter.api.Assertions.assertThrows(AEADBadTagException.class, executable);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
