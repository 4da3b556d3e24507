package dev.handshake.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The same handshakes as {@link HandshakeBenchmark}, counted per second of this thread's <em>CPU time</em> rather than
 * wall time. On a shared machine whose load is several times its core count, JMH's wall-clock throughput mostly
 * measures how often the scheduler ran us; thread CPU time does not (it still includes cache and hyper-threading
 * effects, and leaves out GC and JIT threads). A companion to the JMH numbers in docs/benchmarks.md, not a
 * replacement: run it as {@code java -cp ... dev.handshake.bench.HandshakeCpuTime [seconds per row] [SCENARIO ...]}.
 *
 * <p>Besides whole-thread rates it reports, for our engine and SunJSSE alike, handshakes per CPU-second of each
 * <em>side</em> in the both-sides loop ({@link SideCpuClock}): the {@code serverSide} rows are how the servers compare,
 * SunJSSE's included, which cannot be replayed against a recorded client.
 */
public final class HandshakeCpuTime {

    private HandshakeCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        List<HandshakeScenario> scenarios = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            scenarios.add(HandshakeScenario.valueOf(args[i]));
        }
        if (scenarios.isEmpty()) {
            scenarios.addAll(List.of(HandshakeScenario.values()));
        }
        HandshakeBenchmark bench = new HandshakeBenchmark();
        System.out.printf("%-40s %-20s %12s%n", "benchmark", "scenario", "ops/cpu-s");
        HandshakeBenchmark.RsaPssSignature pss = new HandshakeBenchmark.RsaPssSignature();
        pss.setUp();
        measure("rsa2048PssSignEngineProvider", "-", () -> bench.rsa2048PssSignEngineProvider(pss), seconds);
        measure("rsa2048PssSignSunRsaSign", "-", () -> bench.rsa2048PssSignSunRsaSign(pss), seconds);
        HandshakeBenchmark.RsaPrivateKey rsa = new HandshakeBenchmark.RsaPrivateKey();
        rsa.setUp();
        measure("rsa2048PrivateKeyOpProviderKey", "-", () -> bench.rsa2048PrivateKeyOpProviderKey(rsa), seconds);
        for (HandshakeScenario scenario : scenarios) {
            HandshakeBenchmark.Handshakes h = new HandshakeBenchmark.Handshakes();
            h.handshake = scenario.name();
            h.setUp();
            Map<String, Callable<Object>> rows = new LinkedHashMap<>();
            rows.put("server", () -> bench.server(h));
            rows.put("client", () -> bench.client(h));
            rows.put("bothSides", () -> bench.bothSides(h));
            rows.put("bothSidesJdkCrypto", () -> bench.bothSidesJdkCrypto(h));
            rows.put("jdkBothSides", () -> bench.jdkBothSides(h));
            for (Map.Entry<String, Callable<Object>> row : rows.entrySet()) {
                measure(row.getKey(), scenario.name(), row.getValue(), seconds);
            }
            // not part of the engine's figure: what storing the server's state after each call (the relay API's
            // session store does) adds per handshake, encoded and decoded
            List<dev.handshake.tls.ConnectionState> states = h.serverReplay.statesAfterEachCall();
            measure("serverStateCodec", scenario.name(), () -> {
                for (dev.handshake.tls.ConnectionState state : states) {
                    dev.handshake.tls.ConnectionState.fromBytes(state.toBytes());
                }
                return states;
            }, seconds);
            measureSides("bothSides", scenario.name(), clock -> h.ours.handshake(clock), seconds);
            measureSides("jdkBothSides", scenario.name(), clock -> h.jdk.handshake(clock), seconds);
        }
    }

    private static void measure(String name, String scenario, Callable<?> op, double seconds) throws Exception {
        print(name, scenario, new CpuTimeMeter(seconds).rate(op));
    }

    /**
     * The both-sides loop with each side's calls timed: handshakes per CPU-second of the server's calls and of the
     * client's, after a warm-up of the same length.
     */
    private static void measureSides(String name, String scenario, Consumer<SideCpuClock> handshake, double seconds)
            throws Exception {
        CpuTimeMeter meter = new CpuTimeMeter(seconds);
        SideCpuClock clock = SideCpuClock.measuring();
        Callable<Object> op = () -> {
            handshake.accept(clock);
            return null;
        };
        meter.run(op);
        clock.reset();
        long handshakes = meter.run(op)[0];
        print(name + ".serverSide", scenario, handshakes / (clock.serverNanos() / 1e9));
        print(name + ".clientSide", scenario, handshakes / (clock.clientNanos() / 1e9));
    }

    private static void print(String name, String scenario, double rate) {
        System.out.printf("%-40s %-20s %12.0f%n", name, scenario, rate);
    }
}
