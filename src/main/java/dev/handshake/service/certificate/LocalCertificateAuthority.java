package dev.handshake.service.certificate;

import dev.handshake.tls.Identity;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that lives only in this process: it issues the generated server identity when no real
 * certificate is configured, and the client and deliberately broken certificates the walkthrough uses to show each
 * outcome of seed steps 3 and 6. Signing goes through the JDK's providers (Bouncy Castle's provider costs about a
 * second to load, STACK.md trap 8); Bouncy Castle only builds the certificate structures.
 */
public final class LocalCertificateAuthority {

    /** What a certificate is for, which decides its extended key usage. */
    public enum Purpose { SERVER, CLIENT }

    private final String name;
    private final Identity ca;
    private final SecureRandom random = new SecureRandom();

    private LocalCertificateAuthority(String name, Identity ca) {
        this.name = name;
        this.ca = ca;
    }

    public static LocalCertificateAuthority create(String name) {
        try {
            KeyPair pair = rsaKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                    pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = sign(builder, pair);
            return new LocalCertificateAuthority(name, new Identity(pair.getPrivate(), List.of(certificate)));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot create the local certificate authority", e);
        }
    }

    /**
     * The byte form of this CA (name, key and certificate), for sharing it between replicas through
     * {@code SharedSecrets}: holds the CA's private key, so it is only ever stored sealed.
     */
    public byte[] toBytes() {
        byte[] name = this.name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] identity = StoredIdentity.encode(ca);
        return java.nio.ByteBuffer.allocate(4 + name.length + identity.length).putInt(name.length).put(name)
                .put(identity).array();
    }

    public static LocalCertificateAuthority fromBytes(byte[] bytes) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        int nameLength = in.getInt();
        if (nameLength < 0 || nameLength > in.remaining()) {
            throw new IllegalArgumentException("not a stored certificate authority");
        }
        byte[] name = new byte[nameLength];
        in.get(name);
        byte[] identity = new byte[in.remaining()];
        in.get(identity);
        return new LocalCertificateAuthority(new String(name, java.nio.charset.StandardCharsets.UTF_8),
                StoredIdentity.decode(identity));
    }

    public X509Certificate certificate() {
        return ca.leaf();
    }

    public String name() {
        return name;
    }

    /** An RSA-2048 identity valid for {@code validity} around now, with the given DNS/IP names. */
    public Identity issue(String commonName, List<String> names, Purpose purpose, Instant notBefore, Instant notAfter) {
        return issue(commonName, names, purpose, notBefore, notAfter, rsaKeyPairUnchecked());
    }

    /** The same with an ECDSA P-256 key. */
    public Identity issueEcdsa(String commonName, List<String> names, Purpose purpose, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return issue(commonName, names, purpose, notBefore, notAfter, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC key", e);
        }
    }

    private Identity issue(String commonName, List<String> names, Purpose purpose, Instant notBefore, Instant notAfter,
                           KeyPair pair) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate(), serial(random),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    purpose == Purpose.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate()));
            if (!names.isEmpty()) {
                GeneralName[] alternatives = names.stream().map(n -> n.matches("[0-9.]+|.*:.*")
                        ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
            }
            X509Certificate leaf = sign(builder, new KeyPair(ca.leaf().getPublicKey(), ca.privateKey()));
            return new Identity(pair.getPrivate(), List.of(leaf, certificate()));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair rsaKeyPairUnchecked() {
        try {
            return rsaKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }
}
