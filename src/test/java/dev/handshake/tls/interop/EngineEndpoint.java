package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Identity;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Our engine as one end of a test connection. After every call the state goes through a serialization round trip
 * (bytes out, bytes in, and the same bytes again), so every interop test also proves that a connection can stop and
 * continue from its serialized form at every point of the handshake and after it.
 */
public final class EngineEndpoint {

    public static final CryptoProvider CRYPTO = CryptoProviders.preferred();

    private final TlsEngine engine;
    private ConnectionState state;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<HandshakeEvent> events = new ArrayList<>();
    private byte[] pendingOutput = new byte[0];

    public EngineEndpoint(TlsConfig config) {
        this(config, CRYPTO);
    }

    public EngineEndpoint(TlsConfig config, CryptoProvider crypto) {
        this.engine = new TlsEngine(config, crypto);
        absorb(engine.start());
    }

    public static Identity identity(TestPki.Identity identity) {
        return new Identity(identity.key(), identity.chain());
    }

    private void absorb(Step step) {
        byte[] serialized = step.state().toBytes();
        ConnectionState restored = ConnectionState.fromBytes(serialized);
        assertThat(restored.toBytes()).as("state survives a serialization round trip").isEqualTo(serialized);
        state = restored;
        received.writeBytes(step.applicationData());
        events.addAll(step.events());
        byte[] out = new byte[pendingOutput.length + step.outbound().length];
        System.arraycopy(pendingOutput, 0, out, 0, pendingOutput.length);
        System.arraycopy(step.outbound(), 0, out, pendingOutput.length, step.outbound().length);
        pendingOutput = out;
    }

    /** Bytes the engine wants to send, handed over once. */
    public byte[] takeOutput() {
        byte[] out = pendingOutput;
        pendingOutput = new byte[0];
        return out;
    }

    public void receive(byte[] bytes) {
        if (bytes.length > 0) {
            absorb(engine.advance(state, bytes));
        }
    }

    public void send(byte[] data) {
        absorb(engine.send(state, data));
    }

    public void close() {
        absorb(engine.close(state));
    }

    public void renegotiate() {
        absorb(engine.renegotiate(state));
    }

    /** TLS 1.3 server: post-handshake authentication (RFC 8446 §4.6.2). */
    public void requestClientCertificate(ClientAuth mode) {
        absorb(engine.requestClientCertificate(state, mode));
    }

    public ConnectionState state() {
        return state;
    }

    public byte[] receivedData() {
        return received.toByteArray();
    }

    public void clearReceived() {
        received.reset();
    }

    public List<HandshakeEvent> events() {
        return events;
    }

    public <T extends HandshakeEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
