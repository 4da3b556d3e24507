package dev.handshake.tls.crypto;

import dev.handshake.tls.codec.Bytes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.KeyAgreement;

/** X25519 through the JCA objects of whichever provider serves {@link Primitive#X25519} for a {@link CryptoProvider}. */
public final class JcaX25519 implements X25519Function {

    /** The fixed DER prefix of an X.509 SubjectPublicKeyInfo for an X25519 key (RFC 8410): the raw key follows. */
    private static final byte[] SPKI_PREFIX = Bytes.fromHex("302a300506032b656e032100");

    private final CryptoProvider crypto;

    public JcaX25519(CryptoProvider crypto) {
        this.crypto = crypto;
    }

    @Override
    public KeyPair generateKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = crypto.keyPairGenerator(Primitive.X25519_KEY_PAIR);
            generator.initialize(255, random);
            java.security.KeyPair pair = generator.generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            return new KeyPair(scalar(pair.getPrivate()), Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an x25519 key pair", e);
        }
    }

    @Override
    public byte[] sharedSecret(byte[] privateKey, byte[] peerPublicKey) throws GeneralSecurityException {
        KeyFactory factory = crypto.keyFactory(Primitive.X25519_KEY_FACTORY);
        PrivateKey ours = factory.generatePrivate(new PKCS8EncodedKeySpec(X25519Pkcs8.encode(privateKey)));
        KeyAgreement agreement = crypto.keyAgreement(Primitive.X25519);
        agreement.init(ours);
        agreement.doPhase(factory.generatePublic(new X509EncodedKeySpec(Bytes.concat(SPKI_PREFIX, peerPublicKey))), true);
        return agreement.generateSecret();
    }

    private static byte[] scalar(PrivateKey key) throws GeneralSecurityException {
        if (key instanceof XECPrivateKey xec) {
            Optional<byte[]> scalar = xec.getScalar();
            if (scalar.isPresent() && scalar.get().length == 32) {
                return scalar.get();
            }
        }
        throw new GeneralSecurityException("the provider's x25519 private key has no 32-byte scalar");
    }
}
