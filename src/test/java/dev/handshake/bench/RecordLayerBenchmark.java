package dev.handshake.bench;

import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.record.ProtectionState;
import dev.handshake.tls.record.RecordFramer;
import dev.handshake.tls.record.RecordProtection;
import dev.handshake.tls.record.TlsRecord;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ContentType;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Records per second through the record layer with the production provider choice (AES-128-GCM on Corretto): the
 * array path ({@code seal}), the buffer path the proxy uses ({@code sealInto}, a heap buffer as the proxy's), and a
 * seal followed by its open. {@code connections} connections are served in turn, as one event loop serving that many
 * does: each has a key for sealing and another for opening (the peer's, as its own objects, as a connection's two
 * directions have), so the thread's cipher table holds twice as many keys as there are connections.
 *
 * <pre>
 * bench/run-jmh.sh RecordLayerBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class RecordLayerBenchmark {

    @Param({"32", "16384"})
    public int size;

    @Param({"1", "64", "512"})
    public int connections;

    @Param({"TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"})
    public String suite;

    private final CryptoProvider crypto = CryptoProviders.preferred();
    private ProtectionState[] writers;
    private ProtectionState[] readers;
    private byte[] plaintext;
    private ByteBuffer out;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        var cipherSuite = CipherSuites.all().stream().filter(s -> s.name().equals(suite)).findFirst().orElseThrow();
        writers = new ProtectionState[connections];
        readers = new ProtectionState[connections];
        for (int i = 0; i < connections; i++) {
            byte[] key = new byte[cipherSuite.cipher().keyLength()];
            random.nextBytes(key);
            byte[] iv = new byte[cipherSuite.isTls13() ? 12 : cipherSuite.cipher().fixedIvLength()];
            random.nextBytes(iv);
            writers[i] = state(cipherSuite, key, iv);
            // the peer's side of the same keys, as its own objects: a connection's two directions hold two keys
            readers[i] = state(cipherSuite, key, iv);
        }
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        out = ByteBuffer.allocate(RecordProtection.maxSealedLength(writers[0], size));
    }

    private static ProtectionState state(CipherSuite cipherSuite, byte[] key, byte[] iv) {
        return cipherSuite.isTls13() ? ProtectionState.tls13(cipherSuite, new Secret(key), iv)
                : ProtectionState.tls12(cipherSuite, new Secret(key), null, iv);
    }

    private int connection() {
        int i = next;
        next = (next + 1) % connections;
        return i;
    }

    @Benchmark
    public byte[] seal() {
        int i = connection();
        RecordProtection.Sealed sealed = RecordProtection.seal(crypto, writers[i], ContentType.APPLICATION_DATA, plaintext);
        writers[i] = sealed.next();
        return sealed.record();
    }

    @Benchmark
    public ByteBuffer sealInto() {
        int i = connection();
        out.clear();
        writers[i] = RecordProtection.sealInto(crypto, writers[i], ContentType.APPLICATION_DATA,
                ByteBuffer.wrap(plaintext), out);
        return out;
    }

    @Benchmark
    public byte[] sealAndOpen() {
        int i = connection();
        RecordProtection.Sealed sealed = RecordProtection.seal(crypto, writers[i], ContentType.APPLICATION_DATA, plaintext);
        writers[i] = sealed.next();
        TlsRecord record = RecordFramer.split(sealed.record(), TlsRecord.MAX_CIPHERTEXT_LENGTH_TLS12).records().get(0);
        RecordProtection.Opened opened = RecordProtection.open(crypto, readers[i], record);
        readers[i] = opened.next();
        return opened.plaintext();
    }
}
