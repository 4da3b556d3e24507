package dev.handshake.bench;

import java.io.IOException;

/**
 * How the relay benchmark's client reaches the TLS server: one session, its first flight (the ClientHello) and each
 * later flight answered with the server's records. The same client ({@code JdkTlsPeer}) runs over every transport, so
 * a difference between two transports is the transport alone, never the client's own TLS work.
 */
interface RelayTransport extends AutoCloseable {

    /** Starts a session with the client's first flight; returns the server's answer. */
    byte[] open(byte[] firstFlight) throws IOException;

    /** Posts one flight of the open session; returns the server's answer (possibly empty). */
    byte[] flight(byte[] records) throws IOException;

    /** Forgets the session (untimed: the benchmark times handshakes). */
    void forget() throws IOException;

    @Override
    default void close() throws IOException {
    }
}
