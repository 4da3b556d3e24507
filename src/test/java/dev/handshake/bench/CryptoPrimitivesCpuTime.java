package dev.handshake.bench;

import dev.handshake.testing.TestPki;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import dev.handshake.tls.crypto.JcaX25519;
import dev.handshake.tls.crypto.KeyAgreementGroups;
import dev.handshake.tls.crypto.KeyShare;
import dev.handshake.tls.crypto.Primitive;
import dev.handshake.tls.crypto.Signatures;
import dev.handshake.tls.crypto.X25519Function;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.SignatureScheme;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The primitives of a TLS 1.3 server's full handshake, per JCA provider, in operations per CPU-second, each made the way
 * the engine makes it (a new JCA object per use, through {@link KeyAgreementGroups} and {@link Signatures} where the
 * engine goes through them): x25519 key generation and the server's generate-and-agree, the rsa_pss_rsae_sha256
 * signature of CertificateVerify, an HKDF-sized HMAC-SHA256 and a transcript-sized SHA-256. These are the measurements
 * behind the per-primitive choice for the handshake (docs/crypto-providers.md); {@link CryptoPrimitivesBenchmark}
 * has the JMH (wall-clock, bulk-record) view.
 * Run: {@code java -cp ... dev.handshake.bench.CryptoPrimitivesCpuTime [seconds per row]}.
 */
public final class CryptoPrimitivesCpuTime {

    private CryptoPrimitivesCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        CpuTimeMeter meter = new CpuTimeMeter(args.length > 0 ? Double.parseDouble(args[0]) : 2);
        System.out.printf("%-32s %-8s %12s%n", "primitive", "provider", "ops/cpu-s");
        for (String name : List.of("jdk", "bc", "bc-jca", "accp")) {
            // bc-jca: Bouncy Castle through its JCA classes, the path the engine took before its arithmetic was called
            // directly; the same provider, so the difference is the JCA layer alone
            CryptoProvider x25519 = name.equals("bc-jca")
                    ? throughJca(only("bc", Primitive.X25519, Primitive.X25519_KEY_PAIR, Primitive.X25519_KEY_FACTORY))
                    : only(name, Primitive.X25519, Primitive.X25519_KEY_PAIR, Primitive.X25519_KEY_FACTORY);
            if (x25519 != null) {
                byte[] clientShare = KeyAgreementGroups.generate(x25519, NamedGroup.X25519).publicKey();
                row(meter, "x25519 key share (generate)", name, () -> KeyAgreementGroups.generate(x25519, NamedGroup.X25519));
                row(meter, "x25519 server (generate+agree)", name,
                        () -> KeyAgreementGroups.respond(x25519, NamedGroup.X25519, clientShare));
                KeyShare ours = KeyAgreementGroups.generate(x25519, NamedGroup.X25519);
                row(meter, "x25519 client agree (decode+agree)", name,
                        () -> KeyAgreementGroups.agree(x25519, NamedGroup.X25519, ours.privateKey(), clientShare));
            }
            if (name.equals("bc-jca")) {
                continue;
            }
            CryptoProvider rsa = only(name, Primitive.RSASSA_PSS, Primitive.RSA_KEY_FACTORY);
            if (rsa != null) {
                byte[] content = new byte[130];
                row(meter, "rsa_pss_rsae_sha256 sign (2048)", name,
                        () -> Signatures.sign(rsa, SignatureScheme.RSA_PSS_RSAE_SHA256, TestPki.serverRsa().key(), content));
            }
            CryptoProvider hmac = only(name, Primitive.HMAC_SHA256);
            if (hmac != null) {
                SecretKeySpec key = new SecretKeySpec(new byte[32], "HmacSHA256");
                byte[] info = new byte[64];
                row(meter, "HMAC-SHA256 64 B, new Mac", name, () -> {
                    Mac mac = hmac.mac(Primitive.HMAC_SHA256);
                    mac.init(key);
                    return mac.doFinal(info);
                });
            }
            CryptoProvider sha = only(name, Primitive.SHA256);
            if (sha != null) {
                byte[] transcript = new byte[2048];
                row(meter, "SHA-256 2 KiB, new digest", name, () -> sha.messageDigest(Primitive.SHA256).digest(transcript));
            }
        }
    }

    private static void row(CpuTimeMeter meter, String primitive, String provider, Callable<?> op) throws Exception {
        System.out.printf("%-32s %-8s %12.0f%n", primitive, provider, meter.rate(op));
    }

    /** {@code crypto} with its X25519 forced through JCA objects ({@link JcaX25519}), everything else unchanged. */
    private static CryptoProvider throughJca(CryptoProvider crypto) {
        X25519Function jca = new JcaX25519(crypto);
        return (CryptoProvider) java.lang.reflect.Proxy.newProxyInstance(CryptoProvider.class.getClassLoader(),
                new Class<?>[] {CryptoProvider.class}, (proxy, method, args) -> {
                    if (method.getName().equals("x25519")) {
                        return jca;
                    }
                    try {
                        return method.invoke(crypto, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A provider serving {@code primitives} from the named JCA provider only, or null where it serves one not. */
    private static CryptoProvider only(String name, Primitive... primitives) {
        Map<Primitive, Provider> chosen = new EnumMap<>(Primitive.class);
        for (Primitive primitive : primitives) {
            Provider provider = CryptoPrimitivesBenchmark.providerOrNull(name, primitive);
            if (provider == null || !CryptoProviders.serves(provider, primitive)) {
                return null;
            }
            chosen.put(primitive, provider);
        }
        SecureRandom random = new SecureRandom();
        return new JcaCryptoProvider(chosen, () -> random, Clock.systemUTC());
    }
}
