package dev.handshake.tls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.tls.wire.SignatureScheme;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    private static final JcaCryptoProvider PROVIDER = CryptoProviders.preferred();
    private static final byte[] DATA = "signed content".getBytes(StandardCharsets.US_ASCII);

    @Test
    void verifyReturnsFalseForMalformedSignaturesInsteadOfThrowing() {
        for (SignatureScheme scheme : List.of(SignatureScheme.RSA_PKCS1_SHA256, SignatureScheme.RSA_PSS_RSAE_SHA256,
                SignatureScheme.ECDSA_SECP256R1_SHA256, SignatureScheme.ED25519)) {
            PublicKey key = TestKeys.forScheme(scheme).getPublic();
            byte[] good = Signatures.sign(PROVIDER, scheme, TestKeys.forScheme(scheme).getPrivate(), DATA);
            for (byte[] bad : List.of(new byte[0], new byte[] {0x30}, new byte[] {0x30, 0x7f, 0x02},
                    java.util.Arrays.copyOf(good, good.length - 1), java.util.Arrays.copyOf(good, good.length + 1),
                    new byte[4096])) {
                assertThat(Signatures.verify(PROVIDER, scheme, key, DATA, bad)).as("%s, %d bytes", scheme, bad.length)
                        .isFalse();
            }
        }
    }

    @Test
    void verifyRejectsAKeyOfTheWrongTypeAndAnUnknownScheme() {
        byte[] rsaSignature = Signatures.sign(PROVIDER, SignatureScheme.RSA_PKCS1_SHA256, TestKeys.RSA.getPrivate(), DATA);
        assertThat(Signatures.verify(PROVIDER, SignatureScheme.RSA_PKCS1_SHA256, TestKeys.P256.getPublic(), DATA,
                rsaSignature)).isFalse();
        assertThat(Signatures.verify(PROVIDER, new SignatureScheme(0x0a0a), TestKeys.RSA.getPublic(), DATA,
                rsaSignature)).isFalse();
    }

    @Test
    void pssSignaturesUseTheHashLengthSaltSoAnotherSaltFailsToVerify() throws Exception {
        byte[] signature = Signatures.sign(PROVIDER, SignatureScheme.RSA_PSS_RSAE_SHA256, TestKeys.RSA.getPrivate(), DATA);
        java.security.Signature jdk = java.security.Signature.getInstance("RSASSA-PSS");
        jdk.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        jdk.initVerify(TestKeys.RSA.getPublic());
        jdk.update(DATA);
        assertThat(jdk.verify(signature)).isTrue();
        // The SHA-384 scheme must not accept a SHA-256 PSS signature.
        assertThat(Signatures.verify(PROVIDER, SignatureScheme.RSA_PSS_RSAE_SHA384, TestKeys.RSA.getPublic(), DATA,
                signature)).isFalse();
    }

    @Test
    void signingWithAnUnsupportedSchemeIsOurBugNotAPeerFailure() {
        assertThatThrownBy(() -> Signatures.sign(PROVIDER, SignatureScheme.ED448, TestKeys.ED448.getPrivate(), DATA))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compatibleMatchesKeyTypeAndCurve() {
        assertThat(Signatures.compatible(SignatureScheme.RSA_PKCS1_SHA256, TestKeys.RSA.getPublic())).isTrue();
        assertThat(Signatures.compatible(SignatureScheme.RSA_PSS_RSAE_SHA256, TestKeys.RSA.getPublic())).isTrue();
        assertThat(Signatures.compatible(SignatureScheme.RSA_PSS_PSS_SHA256, TestKeys.RSA.getPublic())).isFalse();
        assertThat(Signatures.compatible(SignatureScheme.RSA_PSS_PSS_SHA256, TestKeys.RSA_PSS.getPublic())).isTrue();
        assertThat(Signatures.compatible(SignatureScheme.RSA_PSS_RSAE_SHA256, TestKeys.RSA_PSS.getPublic())).isFalse();
        assertThat(Signatures.compatible(SignatureScheme.ECDSA_SECP256R1_SHA256, TestKeys.P256.getPublic())).isTrue();
        assertThat(Signatures.compatible(SignatureScheme.ECDSA_SECP384R1_SHA384, TestKeys.P256.getPublic())).isFalse();
        assertThat(Signatures.compatible(SignatureScheme.ECDSA_SECP384R1_SHA384, TestKeys.P384.getPublic())).isTrue();
        assertThat(Signatures.compatible(SignatureScheme.ECDSA_SECP521R1_SHA512, TestKeys.P521.getPublic())).isTrue();
        assertThat(Signatures.compatible(SignatureScheme.ECDSA_SECP256R1_SHA256, TestKeys.RSA.getPublic())).isFalse();
        assertThat(Signatures.compatible(SignatureScheme.ED25519, TestKeys.ED25519.getPublic())).isTrue();
        assertThat(Signatures.compatible(SignatureScheme.ED25519, TestKeys.ED448.getPublic())).isFalse();
        assertThat(Signatures.compatible(SignatureScheme.ED448, TestKeys.ED448.getPublic())).isFalse();
    }

    @Test
    void compatibleRecognisesCurvesOnKeysFromEveryProvider() throws Exception {
        byte[] encoded = TestKeys.P384.getPublic().getEncoded();
        for (java.security.Provider p : List.of(CryptoProviders.bouncyCastleProvider(),
                CryptoProviders.jdkProvider(Primitive.EC_KEY_FACTORY).orElseThrow())) {
            PublicKey key = KeyFactory.getInstance("EC", p).generatePublic(new X509EncodedKeySpec(encoded));
            assertThat(Signatures.compatible(SignatureScheme.ECDSA_SECP384R1_SHA384, key)).as(p.getName()).isTrue();
            assertThat(Signatures.compatible(SignatureScheme.ECDSA_SECP256R1_SHA256, key)).as(p.getName()).isFalse();
        }
        PublicKey bcEd = KeyFactory.getInstance("Ed25519", CryptoProviders.bouncyCastleProvider())
                .generatePublic(new X509EncodedKeySpec(TestKeys.ED25519.getPublic().getEncoded()));
        assertThat(Signatures.compatible(SignatureScheme.ED25519, bcEd)).isTrue();
    }

    @Test
    void choosePicksOurFirstPreferenceThatThePeerOffersAndTheKeyFits() {
        List<SignatureScheme> peer = List.of(SignatureScheme.RSA_PKCS1_SHA256, SignatureScheme.RSA_PSS_RSAE_SHA384,
                SignatureScheme.ECDSA_SECP256R1_SHA256);
        assertThat(Signatures.choose(peer, Signatures.DEFAULT_PREFERENCE, TestKeys.RSA.getPublic(),
                ProtocolVersion.TLS1_2)).contains(SignatureScheme.RSA_PSS_RSAE_SHA384);
        assertThat(Signatures.choose(peer, Signatures.DEFAULT_PREFERENCE, TestKeys.P256.getPublic(),
                ProtocolVersion.TLS1_3)).contains(SignatureScheme.ECDSA_SECP256R1_SHA256);
    }

    @Test
    void chooseNeverPicksSha1OrMd5InTls12() {
        List<SignatureScheme> sha1Only = List.of(SignatureScheme.RSA_PKCS1_SHA1, SignatureScheme.ECDSA_SHA1,
                new SignatureScheme(0x0101));
        List<SignatureScheme> ours = List.of(SignatureScheme.RSA_PKCS1_SHA1, SignatureScheme.ECDSA_SHA1,
                new SignatureScheme(0x0101));
        assertThat(Signatures.choose(sha1Only, ours, TestKeys.RSA.getPublic(), ProtocolVersion.TLS1_2)).isEmpty();
        assertThat(Signatures.choose(sha1Only, ours, TestKeys.P256.getPublic(), ProtocolVersion.TLS1_2)).isEmpty();
        assertThat(Signatures.choose(List.of(), Signatures.DEFAULT_PREFERENCE, TestKeys.RSA.getPublic(),
                ProtocolVersion.TLS1_2)).isEmpty();
    }

    @Test
    void chooseRefusesPkcs1InTls13ButAllowsItInTls12() {
        List<SignatureScheme> pkcs1Only = List.of(SignatureScheme.RSA_PKCS1_SHA256, SignatureScheme.RSA_PKCS1_SHA384);
        assertThat(Signatures.choose(pkcs1Only, Signatures.DEFAULT_PREFERENCE, TestKeys.RSA.getPublic(),
                ProtocolVersion.TLS1_3)).isEmpty();
        assertThat(Signatures.choose(pkcs1Only, Signatures.DEFAULT_PREFERENCE, TestKeys.RSA.getPublic(),
                ProtocolVersion.TLS1_2)).contains(SignatureScheme.RSA_PKCS1_SHA256);
    }

    @Test
    void chooseBindsTheEcdsaCurveInTls13OnlyAndPrefersTheMatchingCurveInTls12() {
        List<SignatureScheme> p256Only = List.of(SignatureScheme.ECDSA_SECP256R1_SHA256);
        assertThat(Signatures.choose(p256Only, Signatures.DEFAULT_PREFERENCE, TestKeys.P384.getPublic(),
                ProtocolVersion.TLS1_3)).isEmpty();
        // RFC 8422 §5.1.3: in TLS 1.2 the scheme names the hash only.
        assertThat(Signatures.choose(p256Only, Signatures.DEFAULT_PREFERENCE, TestKeys.P384.getPublic(),
                ProtocolVersion.TLS1_2)).contains(SignatureScheme.ECDSA_SECP256R1_SHA256);
        List<SignatureScheme> both = List.of(SignatureScheme.ECDSA_SECP256R1_SHA256,
                SignatureScheme.ECDSA_SECP384R1_SHA384);
        assertThat(Signatures.choose(both, Signatures.DEFAULT_PREFERENCE, TestKeys.P384.getPublic(),
                ProtocolVersion.TLS1_2)).contains(SignatureScheme.ECDSA_SECP384R1_SHA384);
    }

    @Test
    void chooseReturnsNothingBeforeTls12AndForAKeyNoOfferedSchemeFits() {
        assertThat(Signatures.choose(Signatures.DEFAULT_PREFERENCE, Signatures.DEFAULT_PREFERENCE,
                TestKeys.RSA.getPublic(), ProtocolVersion.TLS1_1)).isEmpty();
        assertThat(Signatures.choose(List.of(SignatureScheme.ED25519), Signatures.DEFAULT_PREFERENCE,
                TestKeys.RSA.getPublic(), ProtocolVersion.TLS1_3)).isEqualTo(Optional.empty());
    }

    @Test
    void rsaPssWithAnRsassaPssKeySignsThroughTheProviderThatAcceptsSuchKeys() {
        byte[] signature = Signatures.sign(PROVIDER, SignatureScheme.RSA_PSS_PSS_SHA256, TestKeys.RSA_PSS.getPrivate(),
                DATA);
        assertThat(Signatures.verify(CryptoProviders.jdk(), SignatureScheme.RSA_PSS_PSS_SHA256,
                TestKeys.RSA_PSS.getPublic(), DATA, signature)).isTrue();
    }

    @Test
    void defaultPreferenceHasNoSha1AndOnlySchemesWeImplement() {
        assertThat(Signatures.DEFAULT_PREFERENCE).allSatisfy(s -> {
            assertThat(Signatures.supported(s)).isTrue();
            assertThat(s.code() >>> 8).isNotIn(1, 2);
        });
    }
}
