package dev.handshake.tls.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.time.Clock;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;

/**
 * The choice of JCA provider for each {@link Primitive}, made by the measured rule in {@code docs/crypto-providers.md}
 * (JMH, {@code CryptoPrimitivesBenchmark}):
 * <ul>
 * <li>Amazon Corretto Crypto Provider (AWS-LC, native) for what it has: RSA, ECDSA, ECDH, EC keys, AES-GCM, AES-CBC,
 *     HMAC and the SHA family. It is used only when its native library loaded, and never installed globally, so it
 *     changes nothing for the rest of the JVM.</li>
 * <li>Bouncy Castle for what Corretto lacks here and the JDK does no better: X25519 (twice the JDK's rate), ML-KEM,
 *     3DES, RC4, Ed25519, and RSASSA-PSS with id-RSASSA-PSS keys. Its provider is built once, lazily, because
 *     building it is slow (STACK.md trap 8): {@link #jdk()} and {@link #corretto()} never touch it.</li>
 * <li>The JDK for ChaCha20-Poly1305 and raw AES blocks (measured: four times Bouncy Castle's ChaCha20-Poly1305 rate,
 *     and its AES runs on AES-NI), for SHA-256 and HMAC-SHA256 (its intrinsics beat Corretto's JNI call at handshake
 *     sizes), for X.509 parsing and PKIX path validation, which the rest of the service
 *     (Spring Boot SSL bundles) already does with the JDK, and wherever neither other provider loads.</li>
 * </ul>
 * Each choice is verified: the chosen provider must really serve the primitive (by its name or an alias, and for a
 * cipher by instantiating the full transformation), else the next one in the rule is taken.
 */
public final class CryptoProviders {

    /** Where a primitive may come from, in the order a rule lists them. */
    public enum Source { CORRETTO, BOUNCY_CASTLE, JDK }

    private static final List<Source> CORRETTO_FIRST = List.of(Source.CORRETTO, Source.BOUNCY_CASTLE, Source.JDK);
    private static final List<Source> BOUNCY_CASTLE_FIRST = List.of(Source.BOUNCY_CASTLE, Source.JDK);
    private static final List<Source> JDK_ONLY = List.of(Source.JDK);

    /** The selection rule: for each primitive, the sources to try in order. */
    private static final Map<Primitive, List<Source>> RULE = rule();

    private CryptoProviders() {
    }

    private static Map<Primitive, List<Source>> rule() {
        Map<Primitive, List<Source>> rule = new EnumMap<>(Primitive.class);
        for (Primitive p : Primitive.values()) {
            rule.put(p, CORRETTO_FIRST);
        }
        // Corretto has none of these here (2.5.0 on linux-x86_64); between Bouncy Castle and the JDK the benchmark
        // decides, and where it does not measure (3DES, RC4, ML-KEM, Ed25519, PSS keys) the rule stands.
        // X25519's key pairs and factory go with its agreement, so keys never cross providers.
        for (Primitive p : List.of(Primitive.X25519, Primitive.X25519_KEY_PAIR, Primitive.X25519_KEY_FACTORY,
                Primitive.ML_KEM_768, Primitive.DESEDE_CBC, Primitive.RC4, Primitive.ED25519,
                Primitive.RSASSA_PSS_WITH_PSS_KEY)) {
            rule.put(p, BOUNCY_CASTLE_FIRST);
        }
        // Measured against the rule: the JDK's ChaCha20-Poly1305 seals a 16 KiB record about four times as
        // fast as Bouncy Castle's (docs/crypto-providers.md), so the JDK serves it and Bouncy Castle is the fallback.
        rule.put(Primitive.CHACHA20_POLY1305, List.of(Source.JDK, Source.BOUNCY_CASTLE));
        // Corretto has no AES/ECB. The JDK's AES runs on AES-NI intrinsics; Bouncy Castle's is table-based Java
        // (the benchmark's AES-GCM rows show the gap), so the JDK serves the raw block.
        rule.put(Primitive.AES_ECB, JDK_ONLY);
        // Measured by thread CPU time (CryptoPrimitivesCpuTime): SHA-256 and HMAC-SHA256 run on the JDK's intrinsics
        // about 15-25 % faster than Corretto at handshake sizes (a 2 KiB transcript, a 64-byte HKDF step: the JNI
        // crossing costs more than the native code saves) and no slower on a 16 KiB record; SHA-384 is a tie there,
        // so it keeps the rule's Corretto.
        rule.put(Primitive.SHA256, List.of(Source.JDK, Source.CORRETTO, Source.BOUNCY_CASTLE));
        rule.put(Primitive.HMAC_SHA256, List.of(Source.JDK, Source.CORRETTO, Source.BOUNCY_CASTLE));
        // Certificates: the service's SSL bundles and trust stores are the JDK's; parsing and validating with the same
        // implementation avoids two X.509 parsers disagreeing about one certificate.
        rule.put(Primitive.CERTIFICATE_FACTORY, JDK_ONLY);
        rule.put(Primitive.CERT_PATH_VALIDATOR, JDK_ONLY);
        return rule;
    }

    /** The sources the rule tries, in order, for {@code primitive}. */
    public static List<Source> rule(Primitive primitive) {
        return RULE.get(primitive);
    }

    /** The production choice: per primitive, the first provider in the rule that loads here and serves it. */
    public static JcaCryptoProvider preferred() {
        Map<Primitive, Provider> chosen = new EnumMap<>(Primitive.class);
        Set<Primitive> fallbacks = EnumSet.noneOf(Primitive.class);
        for (Primitive p : Primitive.values()) {
            List<Source> sources = RULE.get(p);
            for (int i = 0; i < sources.size(); i++) {
                Optional<Provider> provider = serving(sources.get(i), p);
                if (provider.isPresent()) {
                    chosen.put(p, provider.get());
                    if (i > 0) {
                        fallbacks.add(p);
                    }
                    break;
                }
            }
        }
        return build(chosen, fallbacks);
    }

    /** Only the JDK's own providers, whatever else is installed in {@link Security}. */
    public static JcaCryptoProvider jdk() {
        return only(Source.JDK);
    }

    /** Bouncy Castle for every primitive it serves; the JDK (recorded as a fallback) for the others. */
    public static JcaCryptoProvider bouncyCastle() {
        return only(Source.BOUNCY_CASTLE);
    }

    /**
     * Amazon Corretto Crypto Provider for every primitive it serves; the JDK (recorded as a fallback) for the others.
     * Empty when its native library cannot load on this machine.
     */
    public static Optional<JcaCryptoProvider> corretto() {
        return correttoProvider().map(accp -> only(Source.CORRETTO));
    }

    /** The Corretto provider object, when its native library loaded. */
    public static Optional<Provider> correttoProvider() {
        return CorrettoHolder.PROVIDER;
    }

    /** The one Bouncy Castle provider object of this JVM (built on first call, never installed globally). */
    public static Provider bouncyCastleProvider() {
        return BouncyCastleHolder.PROVIDER;
    }

    /** The first of the JDK's own providers that serves {@code primitive}. */
    public static Optional<Provider> jdkProvider(Primitive primitive) {
        for (Provider candidate : Security.getProviders()) {
            if (isJdkProvider(candidate) && serves(candidate, primitive)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** One line per primitive, "PRIMITIVE -> providerName", for the start-up log. */
    public static String describe(JcaCryptoProvider provider) {
        StringJoiner lines = new StringJoiner("\n");
        for (Primitive p : Primitive.values()) {
            Provider chosen = provider.selection().get(p);
            String name = chosen == null ? "none (JCA default order)" : chosen.getName();
            lines.add(p + " -> " + name + (provider.fallbacks().contains(p) ? " (fallback)" : ""));
        }
        return lines.toString();
    }

    /**
     * Whether {@code provider} really serves {@code primitive} under the very name {@link JcaCryptoProvider} will ask
     * for. Aliases: {@link Provider#getService} resolves the aliases a provider registers (the JDK's SunJCE registers
     * RC4 as an alias of "ARCFOUR", so asking SunJCE for "RC4" finds it); matching on another spelling instead would
     * pick a provider whose {@code getInstance("RC4")} then fails. A cipher is instantiated with its full
     * transformation, because a provider may register "AES" and still lack a mode (Corretto lacks ECB).
     */
    public static boolean serves(Provider provider, Primitive primitive) {
        if (!primitive.serviceType().equals("Cipher")) {
            return provider.getService(primitive.serviceType(), primitive.algorithm()) != null;
        }
        try {
            Cipher.getInstance(primitive.algorithm(), provider);
            return true;
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            return false;
        }
    }

    private static JcaCryptoProvider only(Source source) {
        Map<Primitive, Provider> chosen = new EnumMap<>(Primitive.class);
        Set<Primitive> fallbacks = EnumSet.noneOf(Primitive.class);
        for (Primitive p : Primitive.values()) {
            Optional<Provider> provider = serving(source, p);
            if (provider.isPresent()) {
                chosen.put(p, provider.get());
            } else if (source != Source.JDK) {
                Optional<Provider> fallback = jdkProvider(p);
                if (fallback.isPresent()) {
                    chosen.put(p, fallback.get());
                    fallbacks.add(p);
                }
            }
        }
        return build(chosen, fallbacks);
    }

    private static Optional<Provider> serving(Source source, Primitive primitive) {
        switch (source) {
            case CORRETTO:
                // Corretto refuses id-RSASSA-PSS keys although it registers RSASSA-PSS (see the primitive's Javadoc).
                if (primitive == Primitive.RSASSA_PSS_WITH_PSS_KEY) {
                    return Optional.empty();
                }
                return correttoProvider().filter(p -> serves(p, primitive));
            case BOUNCY_CASTLE:
                Provider bc = bouncyCastleProvider();
                return serves(bc, primitive) ? Optional.of(bc) : Optional.empty();
            case JDK:
                return jdkProvider(primitive);
            default:
                throw new IllegalStateException("unknown source " + source);
        }
    }

    private static JcaCryptoProvider build(Map<Primitive, Provider> chosen, Set<Primitive> fallbacks) {
        SecureRandom shared = new SecureRandom();
        return new JcaCryptoProvider(chosen, fallbacks, () -> shared, Clock.systemUTC());
    }

    /** A provider that ships with the JDK: its class lives in a java.* or jdk.* module. */
    private static boolean isJdkProvider(Provider provider) {
        Module module = provider.getClass().getModule();
        return module.isNamed() && (module.getName().startsWith("java.") || module.getName().startsWith("jdk."));
    }

    /** Loaded on first use only: Corretto's static initialiser loads its native library. */
    private static final class CorrettoHolder {
        static final Optional<Provider> PROVIDER = load();

        private static Optional<Provider> load() {
            try {
                com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
                        com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
                return accp.getLoadingError() == null ? Optional.of(accp) : Optional.empty();
            } catch (LinkageError e) {
                // No jar for this platform, or its native library failed in a way that escapes getLoadingError().
                return Optional.empty();
            }
        }
    }

    /** Loaded on first use only: building Bouncy Castle's provider registers hundreds of services (about a second). */
    private static final class BouncyCastleHolder {
        static final Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }
}
