package dev.handshake.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The same handshakes as {@link HandshakeBenchmark}, counted per second of this thread's <em>CPU time</em> rather than
 * wall time. On a shared machine whose load is several times its core count, JMH's wall-clock throughput mostly
 * measures how often the scheduler ran us; thread CPU time does not (it still includes cache and hyper-threading
 * effects, and leaves out GC and JIT threads). A companion to the JMH numbers in docs/benchmarks.md, not a
 * replacement: run it as {@code java -cp ... dev.handshake.bench.HandshakeCpuTime [seconds per row]}.
 */
public final class HandshakeCpuTime {

    private HandshakeCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        HandshakeBenchmark bench = new HandshakeBenchmark();
        HandshakeBenchmark.RsaPrivateKey rsa = new HandshakeBenchmark.RsaPrivateKey();
        rsa.setUp();
        System.out.printf("%-40s %-42s %12s%n", "benchmark", "suite", "ops/cpu-s");
        measure(threads, "rsa2048PrivateKeyOpConfiguredKey", "-", () -> bench.rsa2048PrivateKeyOpConfiguredKey(rsa), seconds);
        measure(threads, "rsa2048PrivateKeyOpProviderKey", "-", () -> bench.rsa2048PrivateKeyOpProviderKey(rsa), seconds);
        for (String suite : new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}) {
            HandshakeBenchmark.Handshakes h = new HandshakeBenchmark.Handshakes();
            h.suite = suite;
            h.setUp();
            Map<String, Callable<Object>> rows = new LinkedHashMap<>();
            rows.put("server", () -> bench.server(h));
            rows.put("client", () -> bench.client(h));
            rows.put("bothSides", () -> bench.bothSides(h));
            rows.put("bothSidesJdkCrypto", () -> bench.bothSidesJdkCrypto(h));
            rows.put("jdkBothSides", () -> bench.jdkBothSides(h));
            for (Map.Entry<String, Callable<Object>> row : rows.entrySet()) {
                measure(threads, row.getKey(), suite, row.getValue(), seconds);
            }
        }
    }

    /** Warms up for {@code seconds} of CPU time, then counts operations in the next {@code seconds} of CPU time. */
    private static void measure(ThreadMXBean threads, String name, String suite, Callable<?> op, double seconds)
            throws Exception {
        long budget = (long) (seconds * 1e9);
        run(threads, op, budget);
        long[] result = run(threads, op, budget);
        System.out.printf("%-40s %-42s %12.0f%n", name, suite, result[0] / (result[1] / 1e9));
    }

    /** Returns {operations, CPU nanoseconds}. */
    private static long[] run(ThreadMXBean threads, Callable<?> op, long cpuNanos) throws Exception {
        long start = threads.getCurrentThreadCpuTime();
        long ops = 0;
        long used;
        do {
            op.call();
            ops++;
            used = threads.getCurrentThreadCpuTime() - start;
        } while (used < cpuNanos);
        return new long[] {ops, used};
    }
}
