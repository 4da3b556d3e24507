package dev.handshake.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * The thread CPU time spent inside one side's calls of a handshake run on both sides in one thread, summed per side.
 * It is how the server of SunJSSE (which cannot be replayed against a recorded client) and ours are compared on equal
 * terms: each side's calls (our engine's start/advance; SunJSSE's engine creation, wrap, unwrap and delegated tasks)
 * are bracketed by {@link ThreadMXBean#getCurrentThreadCpuTime()}, and what happens between them (the loop handing
 * bytes over) is counted for neither. {@link #NONE} runs the calls without reading the clock, for JMH.
 */
class SideCpuClock {

    /** Runs the calls and measures nothing. */
    static final SideCpuClock NONE = new SideCpuClock(null);

    private final Side server;
    private final Side client;

    private SideCpuClock(ThreadMXBean threads) {
        this.server = new Side(threads);
        this.client = new Side(threads);
    }

    /** A clock reading this thread's CPU time (the JVM must support it: every HotSpot on Linux does). */
    static SideCpuClock measuring() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot read a thread's CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
        return new SideCpuClock(threads);
    }

    <T> T server(Supplier<T> call) {
        return server.time(call);
    }

    <T> T client(Supplier<T> call) {
        return client.time(call);
    }

    long serverNanos() {
        return server.nanos;
    }

    long clientNanos() {
        return client.nanos;
    }

    void reset() {
        server.nanos = 0;
        client.nanos = 0;
    }

    /** One side's running total; without a thread bean it only runs the calls. */
    private static final class Side {
        private final ThreadMXBean threads;
        private long nanos;

        Side(ThreadMXBean threads) {
            this.threads = threads;
        }

        <T> T time(Supplier<T> call) {
            if (threads == null) {
                return call.get();
            }
            long start = threads.getCurrentThreadCpuTime();
            T result = call.get();
            nanos += threads.getCurrentThreadCpuTime() - start;
            return result;
        }
    }
}
