package dev.handshake.tls.record;

import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.suite.BulkCipher;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.MacAlgorithm;
import dev.handshake.tls.suite.PrfHash;
import dev.handshake.tls.wire.ContentType;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.tls.ConnectionEnd;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.MACAlgorithm;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;
import org.bouncycastle.tls.crypto.impl.TlsImplUtils;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Bouncy Castle's TLS 1.2 record cipher (bctls {@code TlsAEADCipher} / {@code TlsBlockCipher} from
 * {@code JcaTlsCrypto.createCipher}) as an independent peer. Bouncy Castle derives its keys from a master secret
 * through the PRF; the same key block, sliced as RFC 5246 §6.3 lays it out, gives our states, so both sides hold the
 * same keys without either trusting the other's key-block code.
 */
final class BouncyCastleRecordPeer {

    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private final TlsCipher cipher;
    private final boolean server;
    private final ProtectionState clientWrite;
    private final ProtectionState serverWrite;

    BouncyCastleRecordPeer(CipherSuite suite, boolean server, SecureRandom random) throws IOException {
        this.server = server;
        // Bouncy Castle's own JCA provider: BC's TLS code asks for "ChaCha7539", which only it serves, and an
        // independent implementation of every primitive makes the interop check stronger.
        JcaTlsCrypto crypto = new JcaTlsCryptoProvider().setProvider(BC).create(random);
        SecurityParameters parameters = new SecurityParameters();
        boolean sha384 = suite.prfHash() == PrfHash.SHA384;
        set(parameters, "entity", server ? ConnectionEnd.server : ConnectionEnd.client);
        set(parameters, "cipherSuite", suite.id().code());
        set(parameters, "prfAlgorithm", sha384 ? PRFAlgorithm.tls_prf_sha384 : PRFAlgorithm.tls_prf_sha256);
        set(parameters, "prfCryptoHashAlgorithm", sha384 ? CryptoHashAlgorithm.sha384 : CryptoHashAlgorithm.sha256);
        set(parameters, "prfHashLength", suite.prfHash().length());
        set(parameters, "masterSecret", crypto.createSecret(bytes(random, 48)));
        set(parameters, "clientRandom", bytes(random, 32));
        set(parameters, "serverRandom", bytes(random, 32));
        set(parameters, "negotiatedVersion", ProtocolVersion.TLSv12);

        TlsContext context = (TlsContext) Proxy.newProxyInstance(TlsContext.class.getClassLoader(),
                new Class<?>[] {TlsContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getCrypto":
                            return crypto;
                        case "getNonceGenerator":
                            return crypto.createNonceGenerator(new byte[] {1, 2, 3});
                        case "getSecurityParameters":
                        case "getSecurityParametersConnection":
                        case "getSecurityParametersHandshake":
                            return parameters;
                        case "isServer":
                            return server;
                        case "getServerVersion":
                        case "getClientVersion":
                            return ProtocolVersion.TLSv12;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        TlsCryptoParameters cryptoParameters = new TlsCryptoParameters(context);

        BulkCipher bulk = suite.cipher();
        int macLength = suite.mac().length();
        int keyLength = bulk.keyLength();
        int ivLength = bulk.fixedIvLength();
        byte[] keyBlock = TlsImplUtils.calculateKeyBlock(cryptoParameters, 2 * (macLength + keyLength + ivLength));
        int at = 0;
        byte[] clientMac = Arrays.copyOfRange(keyBlock, at, at += macLength);
        byte[] serverMac = Arrays.copyOfRange(keyBlock, at, at += macLength);
        byte[] clientKey = Arrays.copyOfRange(keyBlock, at, at += keyLength);
        byte[] serverKey = Arrays.copyOfRange(keyBlock, at, at += keyLength);
        byte[] clientIv = Arrays.copyOfRange(keyBlock, at, at += ivLength);
        byte[] serverIv = Arrays.copyOfRange(keyBlock, at, at += ivLength);
        clientWrite = ProtectionState.tls12(suite, new Secret(clientKey), suite.isAead() ? null : new Secret(clientMac), clientIv);
        serverWrite = ProtectionState.tls12(suite, new Secret(serverKey), suite.isAead() ? null : new Secret(serverMac), serverIv);

        cipher = crypto.createCipher(cryptoParameters, encryptionAlgorithm(bulk), macAlgorithm(suite.mac()));
    }

    /** The state our side writes with, to be read by Bouncy Castle. */
    ProtectionState ourWriteState() {
        return server ? clientWrite : serverWrite;
    }

    /** The state our side reads Bouncy Castle's records with. */
    ProtectionState ourReadState() {
        return server ? serverWrite : clientWrite;
    }

    /** Bouncy Castle protects a record: the whole record, header included. */
    byte[] seal(long seq, ContentType type, byte[] plaintext) throws IOException {
        TlsEncodeResult encoded = cipher.encodePlaintext(seq, (short) type.code(), ProtocolVersion.TLSv12,
                TlsRecord.HEADER_LENGTH, plaintext, 0, plaintext.length);
        byte[] fragment = Arrays.copyOfRange(encoded.buf, encoded.off + TlsRecord.HEADER_LENGTH, encoded.off + encoded.len);
        return new TlsRecord(new ContentType(encoded.recordType), dev.handshake.tls.wire.ProtocolVersion.TLS1_2, fragment)
                .encode();
    }

    /** Bouncy Castle removes a record's protection (throws TlsFatalAlert when it does not authenticate). */
    byte[] open(long seq, TlsRecord record) throws IOException {
        byte[] fragment = record.fragment().clone();
        TlsDecodeResult decoded = cipher.decodeCiphertext(seq, (short) record.type().code(), ProtocolVersion.TLSv12,
                fragment, 0, fragment.length);
        return Arrays.copyOfRange(decoded.buf, decoded.off, decoded.off + decoded.len);
    }

    private static int encryptionAlgorithm(BulkCipher bulk) {
        switch (bulk) {
            case AES_128_GCM:
                return EncryptionAlgorithm.AES_128_GCM;
            case AES_256_GCM:
                return EncryptionAlgorithm.AES_256_GCM;
            case CHACHA20_POLY1305:
                return EncryptionAlgorithm.CHACHA20_POLY1305;
            case AES_128_CBC:
                return EncryptionAlgorithm.AES_128_CBC;
            case AES_256_CBC:
                return EncryptionAlgorithm.AES_256_CBC;
            case TRIPLE_DES_EDE_CBC:
                return EncryptionAlgorithm._3DES_EDE_CBC;
            default:
                throw new IllegalArgumentException("no Bouncy Castle peer for " + bulk);
        }
    }

    private static int macAlgorithm(MacAlgorithm mac) {
        switch (mac) {
            case NONE:
                return MACAlgorithm._null;
            case HMAC_SHA1:
                return MACAlgorithm.hmac_sha1;
            case HMAC_SHA256:
                return MACAlgorithm.hmac_sha256;
            default:
                return MACAlgorithm.hmac_sha384;
        }
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** SecurityParameters has no public setters; its package-private fields are set the way BC's handshake does. */
    private static void set(SecurityParameters parameters, String field, Object value) {
        try {
            Field f = SecurityParameters.class.getDeclaredField(field);
            f.setAccessible(true);
            f.set(parameters, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("bctls changed SecurityParameters." + field, e);
        }
    }
}
