package dev.handshake.tls.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.testing.TestPki;
import dev.handshake.testing.TestPki.Identity;
import dev.handshake.tls.cert.CertificateCheck.Problem;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import dev.handshake.tls.crypto.Primitive;
import dev.handshake.tls.wire.AlertDescription;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Certificate validation against the test PKI, each problem produced by the certificate that has it, on both the
 * JDK's and Bouncy Castle's certificate factory and PKIX validator.
 */
class CertificateValidationTest {

    private static final Set<TrustAnchor> ANCHORS = Set.of(new TrustAnchor(TestPki.rootCa().leaf(), null));
    private static final CryptoProvider JDK = JcaCryptoProvider.jdkDefaults();
    private static final CryptoProvider BC = bouncyCastle();

    static Stream<CryptoProvider> providers() {
        return Stream.of(JDK, BC);
    }

    private static CryptoProvider bouncyCastle() {
        BouncyCastleProvider bc = new BouncyCastleProvider();
        SecureRandom random = new SecureRandom();
        return new JcaCryptoProvider(Map.of(Primitive.CERTIFICATE_FACTORY, bc, Primitive.CERT_PATH_VALIDATOR, bc,
                Primitive.SHA256, bc), () -> random, Clock.systemUTC());
    }

    private static Instant now() {
        return Instant.now();
    }

    private static CertificateCheck server(CryptoProvider crypto, Identity identity, String host) {
        return CertificateValidation.validateServer(crypto, identity.derChain(), ANCHORS, host, now());
    }

    // --- trusted chains ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("providers")
    void trustsTheRsaServerForLocalhostAndSummarisesItsLeaf(CryptoProvider crypto) throws Exception {
        X509Certificate leaf = TestPki.serverRsa().leaf();

        CertificateCheck check = server(crypto, TestPki.serverRsa(), "localhost");

        assertThat(check.trusted()).as(check.detail()).isTrue();
        assertThat(check.problem()).isNull();
        assertThat(check.alert()).isNull();
        assertThat(check.detail()).contains("trusted: 1 certificate to the anchor CN=Handshake Test Root CA", "valid for localhost");
        CertificateSummary summary = check.leaf();
        assertThat(summary.subject()).isEqualTo("CN=localhost");
        assertThat(summary.issuer()).isEqualTo("CN=Handshake Test Root CA,O=handshake-service tests");
        assertThat(summary.serialHex()).isEqualTo(leaf.getSerialNumber().toString(16));
        assertThat(summary.notBefore()).isEqualTo(leaf.getNotBefore().toInstant());
        assertThat(summary.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(summary.publicKeyAlgorithm()).isEqualTo("RSA");
        assertThat(summary.keyBits()).isEqualTo(2048);
        assertThat(summary.subjectAltNames()).containsExactly("DNS:localhost", "IP:127.0.0.1");
        assertThat(summary.sha256Fingerprint())
                .isEqualTo(Bytes.hex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded())))
                .hasSize(64);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void trustsTheEcdsaServerAndReportsItsCurveSize(CryptoProvider crypto) {
        CertificateCheck check = server(crypto, TestPki.serverEcdsa(), "LOCALHOST.");

        assertThat(check.trusted()).as(check.detail()).isTrue();
        assertThat(check.leaf().publicKeyAlgorithm()).isEqualTo("EC");
        assertThat(check.leaf().keyBits()).isEqualTo(256);
        assertThat(check.leaf().subjectAltNames()).containsExactly("DNS:localhost");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void trustsAServerByItsIpAddressSubjectAltName(CryptoProvider crypto) {
        assertThat(server(crypto, TestPki.serverRsa(), "127.0.0.1").trusted()).isTrue();
        assertThat(server(crypto, TestPki.serverRsa(), "127.0.0.2").problem()).isEqualTo(Problem.NAME_MISMATCH);
        assertThat(server(crypto, TestPki.serverEcdsa(), "127.0.0.1").problem())
                .as("a DNS-only certificate never matches an IP literal").isEqualTo(Problem.NAME_MISMATCH);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void trustsALeafSentWithoutTheRoot(CryptoProvider crypto) {
        List<byte[]> leafOnly = TestPki.serverRsa().derChain().subList(0, 1);

        CertificateCheck check = CertificateValidation.validateServer(crypto, leafOnly, ANCHORS, "localhost", now());

        assertThat(check.trusted()).as(check.detail()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void buildsThePathThroughAnIntermediateSentOutOfOrderWithExtras(CryptoProvider crypto) {
        List<byte[]> chain = TestPki.serverViaIntermediate().derChain(); // leaf, intermediate, root
        List<byte[]> shuffled = new ArrayList<>(List.of(chain.get(0), chain.get(2),
                TestPki.untrustedCa().derChain().get(0), chain.get(1)));

        CertificateCheck check = CertificateValidation.validateServer(crypto, shuffled, ANCHORS, "localhost", now());

        assertThat(check.trusted()).as(check.detail()).isTrue();
        assertThat(check.detail()).contains("2 certificates");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void nullHostNameSkipsOnlyTheNameCheck(CryptoProvider crypto) {
        assertThat(server(crypto, TestPki.wrongNameServer(), null).trusted()).isTrue();
        assertThat(server(crypto, TestPki.untrustedServer(), null).problem()).isEqualTo(Problem.UNTRUSTED);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void trustsBothClientCertificates(CryptoProvider crypto) {
        for (Identity client : List.of(TestPki.clientRsa(), TestPki.clientEcdsa())) {
            CertificateCheck check = CertificateValidation.validateClient(crypto, client.derChain(), ANCHORS, now());
            assertThat(check.trusted()).as(check.detail()).isTrue();
        }
        assertThat(CertificateValidation.validateClient(crypto, TestPki.clientRsa().derChain(), ANCHORS, now())
                .leaf().subject()).isEqualTo("CN=client");
    }

    // --- each problem, from the certificate that has it -------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("providers")
    void emptyChainAsksForACertificate(CryptoProvider crypto) {
        CertificateCheck server = CertificateValidation.validateServer(crypto, List.of(), ANCHORS, "localhost", now());
        CertificateCheck client = CertificateValidation.validateClient(crypto, List.of(), ANCHORS, now());

        assertThat(server.problem()).isEqualTo(Problem.EMPTY_CHAIN);
        assertThat(client.problem()).isEqualTo(Problem.EMPTY_CHAIN);
        assertThat(client.alert()).isEqualTo(AlertDescription.CERTIFICATE_REQUIRED);
        assertThat(client.leaf()).isNull();
        assertThat(client.trusted()).isFalse();
    }

    static Stream<byte[]> malformedLeaves() {
        byte[] der = TestPki.serverRsa().derChain().get(0);
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
        return Stream.of(
                new byte[0],
                new byte[] {0x30},
                new byte[] {0x30, (byte) 0x82, (byte) 0xff, (byte) 0xff},
                Arrays.copyOf(der, der.length - 1),
                Arrays.copyOf(der, der.length / 2),
                Bytes.concat(der, new byte[] {0}),
                Bytes.concat(der, der),
                pem.getBytes(StandardCharsets.US_ASCII),
                "not a certificate".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @MethodSource("malformedLeaves")
    void malformedLeafIsBadEncodingOnEveryProvider(byte[] leaf) {
        for (CryptoProvider crypto : List.of(JDK, BC)) {
            CertificateCheck check = CertificateValidation.validateServer(crypto, List.of(leaf), ANCHORS, "localhost", now());

            assertThat(check.problem()).isEqualTo(Problem.BAD_ENCODING);
            assertThat(check.alert()).isEqualTo(AlertDescription.BAD_CERTIFICATE);
            assertThat(check.leaf()).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void malformedIntermediateIsBadEncodingButKeepsTheLeafSummary(CryptoProvider crypto) {
        List<byte[]> chain = List.of(TestPki.serverRsa().derChain().get(0), new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});

        CertificateCheck check = CertificateValidation.validateServer(crypto, chain, ANCHORS, "localhost", now());

        assertThat(check.problem()).isEqualTo(Problem.BAD_ENCODING);
        assertThat(check.detail()).contains("certificate 1");
        assertThat(check.leaf().subject()).isEqualTo("CN=localhost");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void expiredServerIsExpired(CryptoProvider crypto) {
        CertificateCheck check = server(crypto, TestPki.expiredServer(), "localhost");

        assertThat(check.problem()).isEqualTo(Problem.EXPIRED);
        assertThat(check.alert()).isEqualTo(AlertDescription.CERTIFICATE_EXPIRED);
        assertThat(check.detail()).contains("expired at " + TestPki.expiredServer().leaf().getNotAfter().toInstant());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void notYetValidServerIsNotYetValid(CryptoProvider crypto) {
        CertificateCheck check = server(crypto, TestPki.notYetValidServer(), "localhost");

        assertThat(check.problem()).isEqualTo(Problem.NOT_YET_VALID);
        assertThat(check.alert()).isEqualTo(AlertDescription.CERTIFICATE_EXPIRED);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void validityIsJudgedAtTheGivenInstantNotTheWallClock(CryptoProvider crypto) {
        Instant inTwoYears = now().plus(Duration.ofDays(730));
        Instant tenDaysAgo = now().minus(Duration.ofDays(10));
        Instant inTenDays = now().plus(Duration.ofDays(10));

        assertThat(CertificateValidation.validateServer(crypto, TestPki.serverRsa().derChain(), ANCHORS, "localhost",
                inTwoYears).problem()).isEqualTo(Problem.EXPIRED);
        assertThat(CertificateValidation.validateServer(crypto, TestPki.expiredServer().derChain(), ANCHORS, "localhost",
                tenDaysAgo).trusted()).isTrue();
        assertThat(CertificateValidation.validateServer(crypto, TestPki.notYetValidServer().derChain(), ANCHORS,
                "localhost", inTenDays).trusted()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void serverFromAnUnrelatedCaIsUntrusted(CryptoProvider crypto) {
        CertificateCheck check = server(crypto, TestPki.untrustedServer(), "localhost");

        assertThat(check.problem()).isEqualTo(Problem.UNTRUSTED);
        assertThat(check.alert()).isEqualTo(AlertDescription.UNKNOWN_CA);
        assertThat(check.leaf().issuer()).isEqualTo("CN=Unrelated Test Root CA,O=somebody else");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void caWithTheRootsNameButAnotherKeyIsUntrusted(CryptoProvider crypto) {
        CertificateCheck check = server(crypto, TestPki.impostorServer(), "localhost");

        assertThat(check.problem()).isEqualTo(Problem.UNTRUSTED);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void noTrustAnchorsTrustsNothing(CryptoProvider crypto) {
        CertificateCheck check = CertificateValidation.validateServer(crypto, TestPki.serverRsa().derChain(), Set.of(),
                "localhost", now());

        assertThat(check.problem()).isEqualTo(Problem.UNTRUSTED);
        assertThat(check.detail()).contains("no trust anchors");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void certificateForAnotherNameIsANameMismatch(CryptoProvider crypto) {
        CertificateCheck check = server(crypto, TestPki.wrongNameServer(), "localhost");

        assertThat(check.problem()).isEqualTo(Problem.NAME_MISMATCH);
        assertThat(check.alert()).isEqualTo(AlertDescription.CERTIFICATE_UNKNOWN);
        assertThat(check.detail()).contains("not for localhost", "DNS:wrong.example");
        assertThat(server(crypto, TestPki.wrongNameServer(), "wrong.example").trusted()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void clientCertificateCannotServeAndServerCertificateCannotAuthenticateAClient(CryptoProvider crypto) {
        CertificateCheck clientAsServer = server(crypto, TestPki.clientRsa(), null);
        CertificateCheck serverAsClient = CertificateValidation.validateClient(crypto, TestPki.serverEcdsa().derChain(),
                ANCHORS, now());

        assertThat(clientAsServer.problem()).isEqualTo(Problem.BAD_KEY_USAGE);
        assertThat(clientAsServer.alert()).isEqualTo(AlertDescription.UNSUPPORTED_CERTIFICATE);
        assertThat(clientAsServer.detail()).contains("serverAuth");
        assertThat(serverAsClient.problem()).isEqualTo(Problem.BAD_KEY_USAGE);
        assertThat(serverAsClient.detail()).contains("clientAuth");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void caCertificateIsNotAServer(CryptoProvider crypto) {
        // The root itself chains to the anchor, but its keyUsage is only keyCertSign and cRLSign.
        CertificateCheck check = server(crypto, TestPki.rootCa(), null);

        assertThat(check.problem()).isEqualTo(Problem.BAD_KEY_USAGE);
        assertThat(check.detail()).contains("keyUsage");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void tooManyCertificatesAreRefusedBeforeDecodingThem(CryptoProvider crypto) {
        List<byte[]> chain = new ArrayList<>(TestPki.serverRsa().derChain());
        chain.addAll(Collections.nCopies(CertificateValidation.MAX_CHAIN_LENGTH, new byte[] {1, 2, 3}));

        CertificateCheck check = CertificateValidation.validateServer(crypto, chain, ANCHORS, "localhost", now());

        assertThat(check.problem()).as("garbage after the limit is never decoded").isEqualTo(Problem.UNTRUSTED);
        assertThat(check.detail()).contains("at most " + CertificateValidation.MAX_CHAIN_LENGTH);
    }

    // --- the order of checks ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("providers")
    void checksRunInTheDocumentedOrder(CryptoProvider crypto) {
        List<byte[]> garbageAfterExpired = new ArrayList<>(TestPki.expiredServer().derChain());
        garbageAfterExpired.add(new byte[] {0x30, 0x00});
        assertThat(CertificateValidation.validateServer(crypto, garbageAfterExpired, ANCHORS, "x", now()).problem())
                .as("encoding before validity").isEqualTo(Problem.BAD_ENCODING);
        assertThat(server(crypto, TestPki.expiredServer(), "wrong.example").problem())
                .as("validity before name").isEqualTo(Problem.EXPIRED);
        List<byte[]> expiredAndUntrusted = List.of(TestPki.expiredServer().derChain().get(0));
        assertThat(CertificateValidation.validateServer(crypto, expiredAndUntrusted,
                Set.of(new TrustAnchor(TestPki.untrustedCa().leaf(), null)), "localhost", now()).problem())
                .as("validity before trust").isEqualTo(Problem.EXPIRED);
        assertThat(server(crypto, TestPki.untrustedServer(), "wrong.example").problem())
                .as("trust before name").isEqualTo(Problem.UNTRUSTED);
        assertThat(CertificateValidation.validateClient(crypto, TestPki.untrustedServer().derChain(), ANCHORS, now())
                .problem()).as("trust before usage").isEqualTo(Problem.UNTRUSTED);
        assertThat(server(crypto, TestPki.clientRsa(), "localhost").problem())
                .as("usage before name").isEqualTo(Problem.BAD_KEY_USAGE);
    }

    // --- robustness -------------------------------------------------------------------------------------------------

    @Test
    void everyTruncationOfACertificateIsBadEncodingAndNeverThrows() {
        byte[] der = TestPki.serverEcdsa().derChain().get(0);
        for (int length = 0; length < der.length; length++) {
            CertificateCheck check = CertificateValidation.validateServer(JDK, List.of(Arrays.copyOf(der, length)),
                    ANCHORS, "localhost", now());
            assertThat(check.problem()).as("truncated to %d bytes", length).isEqualTo(Problem.BAD_ENCODING);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void signatureWithUnusedBitsIsBadEncodingEvenWhenTheMaskedSignatureVerifies(CryptoProvider crypto) {
        // Find a leaf whose RSA signature ends in a zero bit, so the JDK's masking would leave it intact.
        Identity leaf = TestPki.serverEcdsa();
        byte[] der = leaf.derChain().get(0);
        byte[] signature = leaf.leaf().getSignature();
        int unusedBitsOctet = der.length - signature.length - 1;
        assertThat(der[unusedBitsOctet]).isZero();
        byte[] padded = der.clone();
        padded[unusedBitsOctet] = 1;
        padded[der.length - 1] &= (byte) 0xfe;

        CertificateCheck check = CertificateValidation.validateServer(crypto, List.of(padded), ANCHORS, "localhost", now());

        assertThat(check.problem()).isEqualTo(Problem.BAD_ENCODING);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void nonMinimalOuterLengthIsBadEncoding(CryptoProvider crypto) {
        byte[] der = TestPki.serverEcdsa().derChain().get(0);
        assertThat(der[1]).isEqualTo((byte) 0x82);
        // Same content, outer length in three octets instead of two: BER, not DER, and a second fingerprint.
        byte[] longForm = Bytes.concat(new byte[] {0x30, (byte) 0x83, 0}, Arrays.copyOfRange(der, 2, der.length));

        CertificateCheck check = CertificateValidation.validateServer(crypto, List.of(longForm), ANCHORS, "localhost", now());

        assertThat(check.problem()).isEqualTo(Problem.BAD_ENCODING);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void noSingleBitFlipAnywhereInACertificateIsTrusted(CryptoProvider crypto) {
        byte[] der = TestPki.serverEcdsa().derChain().get(0);
        for (int i = 0; i < der.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = der.clone();
                flipped[i] ^= (byte) (1 << bit);
                CertificateCheck check = CertificateValidation.validateServer(crypto, List.of(flipped), ANCHORS,
                        "localhost", now());
                assertThat(check.trusted()).as("bit %d of byte %d flipped: %s", bit, i, check.detail()).isFalse();
            }
        }
    }
}
