package dev.handshake.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;

/**
 * Operations per second of this thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()}), after a warm-up
 * of the same CPU time: the rate a busy shared machine barely moves, where JMH's wall-clock throughput mostly measures
 * how often the scheduler ran the benchmark thread. Used by {@link HandshakeCpuTime} and
 * {@link CryptoPrimitivesCpuTime}.
 */
final class CpuTimeMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long budgetNanos;

    CpuTimeMeter(double seconds) {
        this.budgetNanos = (long) (seconds * 1e9);
    }

    /** Operations per CPU-second of {@code op}, measured after a warm-up. */
    double rate(Callable<?> op) throws Exception {
        run(op);
        long[] result = run(op);
        return result[0] / (result[1] / 1e9);
    }

    /** Runs {@code op} for the budget of CPU time; returns {operations, CPU nanoseconds}. */
    long[] run(Callable<?> op) throws Exception {
        long start = THREADS.getCurrentThreadCpuTime();
        long ops = 0;
        long used;
        do {
            op.call();
            ops++;
            used = THREADS.getCurrentThreadCpuTime() - start;
        } while (used < budgetNanos);
        return new long[] {ops, used};
    }
}
