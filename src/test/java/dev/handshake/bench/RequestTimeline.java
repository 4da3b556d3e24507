package dev.handshake.bench;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The server's side of each API request as moments on {@link System#nanoTime()}'s clock (the client in the same JVM
 * reads the same clock): when Tomcat began reading the request, when the filter chain was entered, when the response
 * was first flushed to the socket, when the chain was left; and the worker thread's CPU time at each. Benchmark only
 * ({@link RelayTimeline}), never registered by the service: it reaches into Tomcat's request facade by reflection.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class RequestTimeline extends OncePerRequestFilter {

    /** One request on the server. Times in nanoseconds; {@code flushed} is 0 if the chain never flushed. */
    record ServerRequest(String kind, String thread, long tomcatStart, long enter, long flushed, long exit,
                         long cpuBeforeFlush, long cpuAfterFlush) {
    }

    static final ConcurrentLinkedQueue<ServerRequest> RECORDED = new ConcurrentLinkedQueue<>();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long enter = System.nanoTime();
        FlushTimed timed = new FlushTimed(response);
        try {
            chain.doFilter(request, timed);
        } finally {
            long exit = System.nanoTime();
            long cpuExit = THREADS.getCurrentThreadCpuTime();
            long cpuAtFlush = timed.flushedCpu == 0 ? cpuExit : timed.flushedCpu;
            RECORDED.add(new ServerRequest(ServerTiming.kind(request), Thread.currentThread().getName(),
                    tomcatStart(request), enter, timed.flushed, exit, cpuAtFlush - cpu, cpuExit - cpuAtFlush));
        }
    }

    /** The requests recorded so far, in the order they entered the chain; forgets them. */
    static List<ServerRequest> drain() {
        // recorded as each request leaves the chain: a request's tail may outlast the next one's start
        List<ServerRequest> all = new java.util.ArrayList<>(RECORDED);
        RECORDED.clear();
        all.sort(java.util.Comparator.comparingLong(ServerRequest::enter));
        return all;
    }

    /** Tomcat's own start of this request (set when it began parsing the request line), or 0. */
    private static long tomcatStart(HttpServletRequest request) {
        try {
            Field inner = request.getClass().getDeclaredField("request");
            inner.setAccessible(true);
            Object catalina = inner.get(request);
            return ((org.apache.catalina.connector.Request) catalina).getCoyoteRequest().getStartTimeNanos();
        } catch (ReflectiveOperationException | ClassCastException e) {
            return 0;
        }
    }

    /** A response whose output stream notes the first body write or flush: the moment the answer went to the socket. */
    private static final class FlushTimed extends HttpServletResponseWrapper {
        long flushed;
        long flushedCpu;
        private ServletOutputStream stream;

        FlushTimed(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream out = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        // Tomcat sends an answer whose Content-Length is reached without waiting for a flush
                        noteFlush();
                    }

                    @Override
                    public void flush() throws IOException {
                        out.flush();
                        noteFlush();
                    }

                    @Override
                    public void close() throws IOException {
                        out.close();
                        noteFlush();
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        out.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public void flushBuffer() throws IOException {
            super.flushBuffer();
            noteFlush();
        }

        private void noteFlush() {
            if (flushed == 0) {
                flushed = System.nanoTime();
                flushedCpu = THREADS.getCurrentThreadCpuTime();
            }
        }
    }
}
