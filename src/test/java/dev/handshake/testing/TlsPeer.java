package dev.handshake.testing;

import javax.net.ssl.SSLSession;

/**
 * A reference TLS implementation driven without I/O, as the other side of a connection with our engine: bytes the
 * engine wrote go in through {@link #receive}, and what the peer answers comes out of {@link #produce}. Tests move the
 * bytes between the two themselves, so a handshake runs in one thread with no sockets and no timing.
 */
public interface TlsPeer {

    /**
     * Consumes TLS records (any split: partial records are kept until the rest arrives), runs the peer's delegated
     * tasks, keeps any application data for {@link #receivedAppData()}, and returns everything the peer now wants to
     * send ({@link #produce()}): a handshake flight, alerts, queued application data, or nothing.
     */
    byte[] receive(byte[] records);

    /** Wraps until the peer has nothing more to send: handshake flights, queued application data, close_notify. */
    byte[] produce();

    /** Queues application data; it goes out in {@link #produce()} once the handshake allows. */
    void send(byte[] appData);

    /** The application data received since the last call (the buffer is drained). */
    byte[] receivedAppData();

    /** True once the peer has completed a handshake (the first one; see {@link #handshakesCompleted()}). */
    boolean handshakeDone();

    /** How many handshakes finished, counting renegotiations. */
    int handshakesCompleted();

    /** The peer's current (or in-progress) session: protocol, cipher suite, peer certificates. */
    SSLSession session();

    /** Starts a new handshake on an established connection: TLS 1.2 renegotiation (TLS 1.3 sends a KeyUpdate). */
    void beginRenegotiation();

    /** Starts the close: the next {@link #produce()} carries close_notify. */
    void closeOutbound();

    /** True once the peer received close_notify. */
    boolean inboundDone();

    /** True once the peer itself has nothing more to send because the connection was closed or failed. */
    boolean outboundDone();

    /**
     * The failure that ended the connection on the peer's side (a bad record, a failed handshake), or null. The peer
     * does not throw it from {@link #receive}: it queues its fatal alert for {@link #produce()} instead, as it would on
     * a real connection, and the test asserts on the alert and on this.
     */
    Exception failure();

    /**
     * Moves bytes between two peers until neither has anything more to send: {@code first} speaks first (a client to
     * start a handshake, or whichever side has queued data). Returns the number of flights moved; fails after
     * {@code maxFlights} so a ping-pong bug cannot hang a test.
     */
    static int converse(TlsPeer first, TlsPeer second, int maxFlights) {
        byte[] flight = first.produce();
        TlsPeer to = second;
        TlsPeer from = first;
        int flights = 0;
        int idle = 0;
        while (idle < 2) {
            if (++flights > maxFlights) {
                throw new AssertionError("peers still talking after " + maxFlights + " flights");
            }
            byte[] answer = to.receive(flight);
            idle = flight.length == 0 ? idle + 1 : 0;
            flight = answer;
            TlsPeer swap = to;
            to = from;
            from = swap;
        }
        return flights;
    }
}
