package dev.handshake.tls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.NamedGroup;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The (EC)DH groups across providers: the server's answer (agreed with its freshly generated key object) and the
 * client's agreement (with its key decoded from the PKCS#8 kept in state) reach the same secret, whichever provider
 * made each side's key; and an x25519 private key is kept as PKCS#8 v1 with its raw scalar.
 */
class KeyAgreementGroupsTest {

    private static final CryptoProvider PREFERRED = CryptoProviders.preferred();
    private static final CryptoProvider JDK = CryptoProviders.jdk();

    static List<Arguments> groupsAndProviderPairs() {
        List<Arguments> cases = new java.util.ArrayList<>();
        for (NamedGroup group : KeyAgreementGroups.SUPPORTED) {
            cases.add(Arguments.of(group, "preferred", PREFERRED, "preferred", PREFERRED));
            cases.add(Arguments.of(group, "preferred", PREFERRED, "jdk", JDK));
            cases.add(Arguments.of(group, "jdk", JDK, "preferred", PREFERRED));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}: client {1}, server {3}")
    @MethodSource("groupsAndProviderPairs")
    void clientAndServerReachTheSameSecret(NamedGroup group, String clientName, CryptoProvider client, String serverName,
                                           CryptoProvider server) {
        KeyShare clientShare = KeyAgreementGroups.generate(client, group);
        KeyAgreementGroups.Response response = KeyAgreementGroups.respond(server, group, clientShare.publicKey());
        Secret clientSecret = KeyAgreementGroups.agree(client, group, clientShare.privateKey(), response.publicKey());
        assertThat(clientSecret.bytes()).isEqualTo(response.sharedSecret().bytes());
        // the server's private key, as revealed in a walkthrough, is the one that made its share
        Secret again = KeyAgreementGroups.agree(server, group, response.privateKey(), clientShare.publicKey());
        assertThat(again.bytes()).isEqualTo(response.sharedSecret().bytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("x25519Providers")
    void anX25519PrivateKeyIsPkcs8Version1WithTheRawKey(String name, CryptoProvider crypto) {
        KeyShare share = KeyAgreementGroups.generate(crypto, NamedGroup.X25519);
        byte[] encoded = share.privateKey().bytes();
        assertThat(encoded).hasSize(48);
        assertThat(Bytes.hex(Arrays.copyOf(encoded, 16))).isEqualTo("302e020100300506032b656e04220420");
    }

    @Test
    void bouncyCastlesArithmeticDrawsTheSameKeyAsItsJcaClasses() {
        // a fixed random source must replay a handshake byte for byte whichever way Bouncy Castle is reached
        CryptoProvider direct = CryptoProviders.bouncyCastle().with(() -> counting(), Clock.systemUTC());
        assertThat(direct.x25519()).isInstanceOf(BouncyCastleX25519.class);
        X25519Function.KeyPair viaDirect = direct.x25519().generateKeyPair(counting());
        X25519Function.KeyPair viaJca = new JcaX25519(direct).generateKeyPair(counting());
        assertThat(viaDirect.privateKey()).isEqualTo(viaJca.privateKey());
        assertThat(viaDirect.publicKey()).isEqualTo(viaJca.publicKey());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("x25519Providers")
    void aSmallOrderX25519ShareIsIllegalParameter(String name, CryptoProvider crypto) {
        // RFC 7748 §6.1 / RFC 8446 §7.4.2: u = 0 gives the all-zero secret, which must be refused
        assertThatThrownBy(() -> KeyAgreementGroups.respond(crypto, NamedGroup.X25519,
                        new byte[32]))
                .isInstanceOfSatisfying(TlsAlertException.class, e -> assertThat(e.alert())
                        .isEqualTo(AlertDescription.ILLEGAL_PARAMETER));
    }

    @Test
    void anX25519KeyStoredAsPkcs8Version2StillAgrees() throws Exception {
        // states written by a provider's own encoding (Bouncy Castle writes v2, with the public key) still decode
        CryptoProvider bc = CryptoProviders.bouncyCastle();
        KeyPairGenerator generator = bc.keyPairGenerator(Primitive.X25519_KEY_PAIR);
        generator.initialize(255, new SecureRandom());
        KeyPair pair = generator.generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        byte[] ourPublic = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        KeyShare peer = KeyAgreementGroups.generate(PREFERRED, NamedGroup.X25519);
        Secret ours = KeyAgreementGroups.agree(PREFERRED, NamedGroup.X25519, new Secret(pair.getPrivate().getEncoded()),
                peer.publicKey());
        assertThat(ours.bytes()).isEqualTo(
                KeyAgreementGroups.agree(PREFERRED, NamedGroup.X25519, peer.privateKey(), ourPublic).bytes());
    }

    /** Bytes 0, 1, 2, ... on every call: the same sequence for each instance. */
    private static SecureRandom counting() {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) i;
                }
            }
        };
    }

    static List<Arguments> x25519Providers() {
        return List.of(Arguments.of("preferred (Bouncy Castle)", PREFERRED), Arguments.of("jdk", JDK));
    }
}
