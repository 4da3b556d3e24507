package dev.handshake.tls;

import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.event.DescribedFields;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.message.HandshakeMessage;
import dev.handshake.tls.record.ProtectionState;
import dev.handshake.tls.wire.AlertDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * What a handshake transition may read (configuration, crypto, the connection's last session) and do (send messages,
 * change keys, report events). Its effects are collected and applied by the engine only when the transition returns,
 * so a transition that fails with an alert leaves no half-sent flight behind.
 */
public final class HandshakeContext {

    /** An effect on the connection, applied in order after the transition succeeds. */
    sealed interface Action {
    }

    record SendHandshake(byte[] encoded) implements Action {
    }

    record SendChangeCipherSpec() implements Action {
    }

    record SendWarning(AlertDescription description) implements Action {
    }

    record ChangeWriteProtection(ProtectionState protection) implements Action {
    }

    record ChangeReadProtection(ProtectionState protection) implements Action {
    }

    record Established(SessionInfo session) implements Action {
    }

    record RenegotiationCounted() implements Action {
    }

    record StoreSession(byte[] sessionId, dev.handshake.tls.resumption.TicketContents session) implements Action {
    }

    private final TlsConfig config;
    private final CryptoProvider crypto;
    private final ConnectionState connection;
    final List<Action> actions = new ArrayList<>();
    final List<HandshakeEvent> events = new ArrayList<>();

    HandshakeContext(TlsConfig config, CryptoProvider crypto, ConnectionState connection) {
        this.config = config;
        this.crypto = crypto;
        this.connection = connection;
    }

    public TlsConfig config() {
        return config;
    }

    public CryptoProvider crypto() {
        return crypto;
    }

    /** The session of the last completed handshake on this connection, or null: renegotiation binds to it. */
    public SessionInfo currentSession() {
        return connection == null ? null : connection.session();
    }

    public int renegotiations() {
        return connection == null ? 0 : connection.renegotiations();
    }

    /**
     * Why a TLS 1.2 renegotiation of the current session must be refused, either side initiating: the peer never
     * signalled RFC 5746 (insecure renegotiation), or the configured limit is reached (a DoS bound). Empty if allowed.
     */
    public java.util.Optional<String> renegotiationRefusal() {
        SessionInfo session = currentSession();
        if (session == null || !session.secureRenegotiation()) {
            return java.util.Optional.of("peer does not support secure renegotiation (RFC 5746)");
        }
        if (renegotiations() >= config.maxRenegotiations()) {
            return java.util.Optional.of("renegotiation limit of " + config.maxRenegotiations() + " reached");
        }
        return java.util.Optional.empty();
    }

    /** Sends a handshake message and returns its encoding (with header), for the transcript. */
    public byte[] send(SeedStep step, HandshakeMessage message) {
        byte[] encoded = message.encode();
        actions.add(new SendHandshake(encoded));
        events.add(new HandshakeEvent.MessageSent(step, message.type().name(), new DescribedFields(message::describe),
                encoded));
        return encoded;
    }

    public void received(SeedStep step, HandshakeMessage message, HandshakeFrame frame) {
        events.add(new HandshakeEvent.MessageReceived(step, message.type().name(), new DescribedFields(message::describe),
                frame.encode()));
    }

    public void sendChangeCipherSpec(SeedStep step) {
        actions.add(new SendChangeCipherSpec());
        events.add(new HandshakeEvent.ChangeCipherSpecSent(step));
    }

    public void sendWarning(SeedStep step, AlertDescription description, String reason) {
        actions.add(new SendWarning(description));
        events.add(new HandshakeEvent.AlertSent(step, dev.handshake.tls.wire.AlertLevel.WARNING, description, reason));
    }

    public void changeWriteProtection(SeedStep step, ProtectionState protection, String description) {
        actions.add(new ChangeWriteProtection(protection));
        events.add(new HandshakeEvent.KeysChanged(step, "write", description));
    }

    public void changeReadProtection(SeedStep step, ProtectionState protection, String description) {
        actions.add(new ChangeReadProtection(protection));
        events.add(new HandshakeEvent.KeysChanged(step, "read", description));
    }

    /** Reports a derived secret, only when the configuration asks for secrets (walkthrough, key log). */
    public void secret(SeedStep step, String name, Secret value) {
        if (config.revealSecrets()) {
            events.add(new HandshakeEvent.SecretDerived(step, name, value));
        }
    }

    public void event(HandshakeEvent event) {
        events.add(event);
    }

    public void established(SessionInfo session) {
        actions.add(new Established(session));
    }

    /**
     * Keeps a TLS 1.2 session in the configured {@code SessionCache} for resumption by id, once this transition has
     * succeeded (the cache is state outside the engine: it is written only as an effect of a completed transition).
     */
    public void storeSession(byte[] sessionId, dev.handshake.tls.resumption.TicketContents session) {
        actions.add(new StoreSession(sessionId.clone(), session));
    }

    public void renegotiationStarted(SeedStep step, String initiator) {
        actions.add(new RenegotiationCounted());
        events.add(new HandshakeEvent.RenegotiationStarted(step, initiator));
    }
}
