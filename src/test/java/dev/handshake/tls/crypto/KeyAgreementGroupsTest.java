package dev.handshake.tls.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.wire.NamedGroup;
import java.util.List;
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
        assertThat(Bytes.hex(java.util.Arrays.copyOf(encoded, 16))).isEqualTo("302e020100300506032b656e04220420");
    }

    static List<Arguments> x25519Providers() {
        return List.of(Arguments.of("preferred (Bouncy Castle)", PREFERRED), Arguments.of("jdk", JDK));
    }
}
