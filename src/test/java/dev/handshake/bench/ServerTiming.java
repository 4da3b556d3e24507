package dev.handshake.bench;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The server's share of each API request, measured by the first filter of the chain: wall time and the worker
 * thread's CPU time from entering the filter chain to leaving it (Spring MVC, our controllers, the engine, the store).
 * What a client measures beyond this is Tomcat's socket and parsing work, loopback TCP, and the client itself.
 * Benchmark only: registered by {@link RelayApiBenchmark}, never by the service.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class ServerTiming extends OncePerRequestFilter {

    /** Where the next requests' times go ("create wall", "create cpu", ...): the benchmark switches it per client. */
    static volatile Samples into = new Samples();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long wall = System.nanoTime() - start;
            String kind = kind(request);
            Samples samples = into;
            samples.add(kind + " wall", wall);
            samples.add(kind + " cpu", THREADS.getCurrentThreadCpuTime() - cpu);
        }
    }

    /** create, flight, delete, empty or other: the request kinds of a relay handshake. */
    static String kind(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri.equals(EmptyEndpoint.PATH)) {
            return "empty";
        }
        if (request.getMethod().equals("DELETE")) {
            return "delete";
        }
        if (uri.endsWith("/flights")) {
            return "flight";
        }
        return uri.equals("/api/v1/sessions") ? "create" : "other";
    }
}
