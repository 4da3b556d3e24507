package dev.handshake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
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
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test PKI generated once per JVM: a trusted root CA, the server and client identities it issues (good ones and the
 * broken ones certificate validation must reject), and an unrelated CA whose server is untrusted. RSA key generation
 * is slow, so everything is built on first use and cached in a static holder.
 *
 * <p>All signing uses the JDK's providers (starting Bouncy Castle's provider costs about a second, STACK.md trap 8);
 * Bouncy Castle contributes only the certificate builder and PEM writers (bcpkix).
 */
public final class TestPki {

    /** A private key and its certificate chain, leaf first, ending with the issuing CA's certificate. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public Identity {
            chain = List.copyOf(chain);
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }

        /** The chain as DER, leaf first: what a TLS Certificate message carries. */
        public List<byte[]> derChain() {
            List<byte[]> der = new ArrayList<>();
            for (X509Certificate c : chain) {
                try {
                    der.add(c.getEncoded());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
            return der;
        }
    }

    /** The host name every good server certificate is issued for. */
    public static final String HOST = "localhost";
    /** The only name in {@link #wrongNameServer()}. */
    public static final String WRONG_HOST = "wrong.example";

    private static final Duration DAY = Duration.ofDays(1);
    private static final AtomicLong SERIALS = new AtomicLong(0x1000);

    private TestPki() {
    }

    // The holder idiom makes the one-time generation lazy and thread-safe without locks in the accessors.
    private static final class Generated {
        static final Identity ROOT;
        static final Identity SERVER_RSA;
        static final Identity SERVER_ECDSA;
        static final Identity CLIENT_RSA;
        static final Identity CLIENT_ECDSA;
        static final Identity EXPIRED_SERVER;
        static final Identity NOT_YET_VALID_SERVER;
        static final Identity WRONG_NAME_SERVER;
        static final Identity OTHER_ROOT;
        static final Identity UNTRUSTED_SERVER;
        static final Identity INTERMEDIATE;
        static final Identity SERVER_VIA_INTERMEDIATE;
        static final Identity IMPOSTOR_ROOT;
        static final Identity IMPOSTOR_SERVER;

        static {
            Instant now = Instant.now();
            KeyPair rootKeys = rsa();
            ROOT = ca("CN=Handshake Test Root CA,O=handshake-service tests", rootKeys, now);
            KeyPair serverRsaKeys = rsa();
            SERVER_RSA = leaf(ROOT, "CN=localhost", serverRsaKeys, Usage.SERVER, now.minus(DAY), now.plus(DAY.multipliedBy(365)),
                    dns(HOST), ip("127.0.0.1"));
            SERVER_ECDSA = leaf(ROOT, "CN=localhost", ec(), Usage.SERVER, now.minus(DAY), now.plus(DAY.multipliedBy(365)),
                    dns(HOST));
            CLIENT_RSA = leaf(ROOT, "CN=client", rsa(), Usage.CLIENT, now.minus(DAY), now.plus(DAY.multipliedBy(365)));
            CLIENT_ECDSA = leaf(ROOT, "CN=client-ecdsa", ec(), Usage.CLIENT, now.minus(DAY), now.plus(DAY.multipliedBy(365)));
            // The broken ones reuse the server's RSA key: their defect is in the certificate, and keygen is slow.
            EXPIRED_SERVER = leaf(ROOT, "CN=localhost,OU=expired", serverRsaKeys, Usage.SERVER,
                    now.minus(DAY.multipliedBy(30)), now.minus(DAY), dns(HOST), ip("127.0.0.1"));
            NOT_YET_VALID_SERVER = leaf(ROOT, "CN=localhost,OU=not yet valid", serverRsaKeys, Usage.SERVER,
                    now.plus(DAY), now.plus(DAY.multipliedBy(30)), dns(HOST), ip("127.0.0.1"));
            WRONG_NAME_SERVER = leaf(ROOT, "CN=" + WRONG_HOST, serverRsaKeys, Usage.SERVER, now.minus(DAY),
                    now.plus(DAY.multipliedBy(365)), dns(WRONG_HOST));
            OTHER_ROOT = ca("CN=Unrelated Test Root CA,O=somebody else", rsa(), now);
            UNTRUSTED_SERVER = leaf(OTHER_ROOT, "CN=localhost,O=somebody else", serverRsaKeys, Usage.SERVER,
                    now.minus(DAY), now.plus(DAY.multipliedBy(365)), dns(HOST), ip("127.0.0.1"));
            INTERMEDIATE = intermediate(ROOT, "CN=Handshake Test Intermediate CA,O=handshake-service tests", ec(), now);
            SERVER_VIA_INTERMEDIATE = leaf(INTERMEDIATE, "CN=localhost,OU=via intermediate", ec(), Usage.SERVER,
                    now.minus(DAY), now.plus(DAY.multipliedBy(365)), dns(HOST));
            // Same name as the trusted root, different key: only a signature check tells them apart.
            IMPOSTOR_ROOT = ca(X500Name.getInstance(ROOT.leaf().getSubjectX500Principal().getEncoded()), ec(), now);
            IMPOSTOR_SERVER = leaf(IMPOSTOR_ROOT, "CN=localhost,OU=impostor", ec(), Usage.SERVER, now.minus(DAY),
                    now.plus(DAY.multipliedBy(365)), dns(HOST));
        }
    }

    /** The trusted root: self-signed, RSA-2048. Its chain is just itself. */
    public static Identity rootCa() {
        return Generated.ROOT;
    }

    /** RSA-2048 server certificate for {@code localhost} with SANs DNS:localhost and IP:127.0.0.1. */
    public static Identity serverRsa() {
        return Generated.SERVER_RSA;
    }

    /** ECDSA P-256 server certificate for {@code localhost} (SAN DNS:localhost). */
    public static Identity serverEcdsa() {
        return Generated.SERVER_ECDSA;
    }

    /** RSA-2048 client certificate, CN=client, extended key usage clientAuth only. */
    public static Identity clientRsa() {
        return Generated.CLIENT_RSA;
    }

    /** ECDSA P-256 client certificate, CN=client-ecdsa, extended key usage clientAuth only. */
    public static Identity clientEcdsa() {
        return Generated.CLIENT_ECDSA;
    }

    /** A server certificate for localhost that expired yesterday. */
    public static Identity expiredServer() {
        return Generated.EXPIRED_SERVER;
    }

    /** A server certificate for localhost that becomes valid tomorrow. */
    public static Identity notYetValidServer() {
        return Generated.NOT_YET_VALID_SERVER;
    }

    /** A valid, trusted server certificate for {@code wrong.example} only. */
    public static Identity wrongNameServer() {
        return Generated.WRONG_NAME_SERVER;
    }

    /** A valid server certificate for localhost issued by {@link #untrustedCa()}, which nothing trusts. */
    public static Identity untrustedServer() {
        return Generated.UNTRUSTED_SERVER;
    }

    /** An intermediate CA (ECDSA P-256) issued by the root. */
    public static Identity intermediateCa() {
        return Generated.INTERMEDIATE;
    }

    /** ECDSA server certificate for localhost issued by {@link #intermediateCa()}: chain leaf, intermediate, root. */
    public static Identity serverViaIntermediate() {
        return Generated.SERVER_VIA_INTERMEDIATE;
    }

    /**
     * A server certificate for localhost from a CA that has the trusted root's exact name but its own key: it chains
     * to the root by name and fails only on the signature.
     */
    public static Identity impostorServer() {
        return Generated.IMPOSTOR_SERVER;
    }

    /** The unrelated CA that issued {@link #untrustedServer()}. */
    public static Identity untrustedCa() {
        return Generated.OTHER_ROOT;
    }

    /** A PKCS#12 key store holding only the root CA, as a trusted certificate entry. */
    public static KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("root", rootCa().leaf());
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The password of every key entry in {@link #keyStore(Identity)}. */
    public static final char[] KEY_PASSWORD = "test".toCharArray();

    /** A PKCS#12 key store holding {@code identity} under alias {@code identity}, password {@link #KEY_PASSWORD}. */
    public static KeyStore keyStore(Identity identity) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("identity", identity.key(), KEY_PASSWORD, identity.chain().toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SunJSSE key managers presenting {@code identity}. Bouncy Castle JSSE needs its own factories (it asks key and
     * trust managers with key types SunJSSE does not know): {@link JdkTlsPeer.Builder#identity} picks the right ones.
     */
    public static KeyManagerFactory keyManagers(Identity identity) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(keyStore(identity), KEY_PASSWORD);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SunJSSE trust managers trusting only the root CA. */
    public static TrustManagerFactory trustManagers() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore());
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code dir/key.pem} (unencrypted PKCS#8, never SEC1: STACK.md trap 7) and {@code dir/chain.pem} (leaf first)
     * for an openssl process, and returns {@code dir}.
     */
    public static Path writePem(Identity identity, Path dir) {
        try {
            Files.createDirectories(dir);
            try (Writer out = Files.newBufferedWriter(dir.resolve("key.pem"), StandardCharsets.US_ASCII);
                    JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(new JcaPKCS8Generator(identity.key(), null));
            }
            writeCertificates(identity.chain(), dir.resolve("chain.pem"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the trusted root as {@code dir/ca.pem} and returns that file. */
    public static Path writeCaPem(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("ca.pem");
            writeCertificates(List.of(rootCa().leaf()), file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeCertificates(List<X509Certificate> certificates, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate c : certificates) {
                pem.writeObject(new JcaMiscPEMGenerator(c));
            }
        }
    }

    private enum Usage { SERVER, CLIENT }

    private static Identity ca(String subject, KeyPair keys, Instant now) {
        return ca(name(subject), keys, now);
    }

    /**
     * An RFC 2253 name, most specific RDN first as written (so {@code CN=x,O=y} encodes O before CN, and prints back
     * the same). Bouncy Castle's {@code new X500Name(String)} would keep the written order in the encoding instead.
     */
    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(rfc2253).getEncoded());
    }

    private static Identity ca(X500Name name, KeyPair keys, Instant now) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(DAY)), Date.from(now.plus(DAY.multipliedBy(3650))), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = sign(builder, keys.getPrivate());
            return new Identity(keys.getPrivate(), List.of(cert));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Identity intermediate(Identity issuer, String subject, KeyPair keys, Instant now) {
        try {
            X509Certificate issuerCert = issuer.leaf();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerCert, serial(),
                    Date.from(now.minus(DAY)), Date.from(now.plus(DAY.multipliedBy(1825))), name(subject),
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerCert));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(sign(builder, issuer.key()));
            chain.addAll(issuer.chain());
            return new Identity(keys.getPrivate(), chain);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Identity leaf(Identity issuer, String subject, KeyPair keys, Usage usage, Instant notBefore,
            Instant notAfter, GeneralName... altNames) {
        try {
            X509Certificate issuerCert = issuer.leaf();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            boolean rsa = keys.getPublic().getAlgorithm().equals("RSA");
            // RSA keys may also do key transport (TLS_RSA_* suites); EC keys only sign.
            int keyUsage = rsa ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
            KeyPurposeId purpose = usage == Usage.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerCert, serial(), Date.from(notBefore),
                    Date.from(notAfter), name(subject), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerCert));
            if (altNames.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
            }
            X509Certificate cert = sign(builder, issuer.key());
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            chain.addAll(issuer.chain());
            return new Identity(keys.getPrivate(), chain);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) throws GeneralSecurityException {
        String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static BigInteger serial() {
        // Distinct positive serials per JVM; the time prefix keeps runs apart for anyone caching certificates by serial.
        return BigInteger.valueOf(System.currentTimeMillis()).shiftLeft(20).add(BigInteger.valueOf(SERIALS.incrementAndGet()));
    }

    private static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    private static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
