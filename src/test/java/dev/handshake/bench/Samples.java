package dev.handshake.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Named latency samples in nanoseconds, thread-safe to add to, with percentiles. */
final class Samples {

    private final Map<String, long[]> byName = new ConcurrentHashMap<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    synchronized void add(String name, long nanos) {
        long[] values = byName.computeIfAbsent(name, n -> new long[64]);
        int count = counts.getOrDefault(name, 0);
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
            byName.put(name, values);
        }
        values[count] = nanos;
        counts.put(name, count + 1);
    }

    synchronized long[] values(String name) {
        return Arrays.copyOf(byName.getOrDefault(name, new long[0]), counts.getOrDefault(name, 0));
    }

    synchronized void clear() {
        byName.clear();
        counts.clear();
    }

    /** The p-th percentile (nearest rank) in milliseconds; NaN without samples. */
    double percentileMillis(String name, int p) {
        return percentileMillis(values(name), p);
    }

    static double percentileMillis(long[] values, int p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1))] / 1e6;
    }
}
