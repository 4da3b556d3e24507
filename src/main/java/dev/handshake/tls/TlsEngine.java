package dev.handshake.tls;

import dev.handshake.tls.client.Tls12ClientHandshake;
import dev.handshake.tls.client.Tls13ClientHandshake;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.record.HandshakeFragmenter;
import dev.handshake.tls.record.HandshakeReassembler;
import dev.handshake.tls.record.ProtectionState;
import dev.handshake.tls.record.RecordFramer;
import dev.handshake.tls.record.RecordProtection;
import dev.handshake.tls.record.TlsRecord;
import dev.handshake.tls.server.ServerHandshake;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.AlertLevel;
import dev.handshake.tls.wire.ContentType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine: bytes and state in, bytes, events and the next state out. It owns no socket, thread or clock; the
 * configuration and crypto provider are fixed per engine and the state travels with each call, so one engine serves
 * any number of connections and a connection can continue on another engine with the same configuration.
 *
 * <p>Every failure inside a call ends the same way: a fatal alert record in the output, an {@code AlertSent} event and
 * a terminal state. No exception escapes {@link #advance}.
 */
public final class TlsEngine {

    /** RFC 5246 §6.2.1: a plaintext fragment is at most 2^14 bytes. */
    public static final int MAX_PLAINTEXT = 1 << 14;

    private final TlsConfig config;
    private final CryptoProvider crypto;

    public TlsEngine(TlsConfig config, CryptoProvider crypto) {
        this.config = config;
        this.crypto = crypto;
    }

    public TlsConfig config() {
        return config;
    }

    /**
     * A new connection: a server waits for ClientHello (either version: the ClientHello decides), a client sends it
     * (seed step 1), offering TLS 1.3 when the configuration allows it.
     */
    public Step start() {
        if (config.role() == Role.SERVER) {
            return new Step(ConnectionState.initial(Role.SERVER, ServerHandshake.expectClientHello()),
                    Bytes.EMPTY, List.of(), Bytes.EMPTY);
        }
        Call call = new Call(ConnectionState.initial(Role.CLIENT, null));
        call.transition(context -> config.supportsTls13() ? Tls13ClientHandshake.start(context)
                : Tls12ClientHandshake.start(context));
        return call.finish();
    }

    /** Feeds bytes received from the peer (any split: partial records are kept for the next call). */
    public Step advance(ConnectionState state, byte[] inbound) {
        Call call = new Call(state);
        if (state.isTerminal()) {
            return call.finish();
        }
        call.run(() -> call.receive(inbound));
        return call.finish();
    }

    /** Protects application data for the peer (seed step 10). */
    public Step send(ConnectionState state, byte[] applicationData) {
        Call call = new Call(state);
        call.run(() -> {
            call.requireSendable();
            for (int at = 0; at < applicationData.length || (at == 0 && applicationData.length == 0); at += MAX_PLAINTEXT) {
                int length = Math.min(MAX_PLAINTEXT, applicationData.length - at);
                byte[] chunk = java.util.Arrays.copyOfRange(applicationData, at, at + length);
                call.seal(ContentType.APPLICATION_DATA, chunk);
                if (applicationData.length == 0) {
                    break;
                }
            }
            call.events.add(new HandshakeEvent.ApplicationDataSent(SeedStep.APPLICATION_DATA, applicationData.length));
        });
        return call.finish();
    }

    /**
     * The room {@link #send(ConnectionState, ByteBuffer, ByteBuffer)} needs in its output for {@code length} bytes of
     * application data: the data plus each record's header and protection overhead.
     */
    public int sendCapacity(ConnectionState state, int length) {
        int records = Math.max(1, (length + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT);
        int capacity = length + records * RecordProtection.maxSealedLength(state.writeProtection(), 0);
        if (padsRecords(state.writeProtection())) {
            for (int at = 0; at < length || at == 0; at += MAX_PLAINTEXT) {
                capacity += config.recordPadding().paddingFor(Math.min(MAX_PLAINTEXT, length - at));
                if (length == 0) {
                    break;
                }
            }
        }
        return capacity;
    }

    /**
     * Protects application data as {@link #send(ConnectionState, byte[])} does, reading {@code applicationData}'s
     * remaining bytes and writing the records at {@code out}'s position, which needs {@link #sendCapacity} bytes
     * remaining. No array is made for the data or the records: a transport's pooled buffer receives them (the proxy's
     * bulk path). The records are in {@code out}; the step's outbound holds only what must follow them: the fatal
     * alert when protection failed.
     */
    public Step send(ConnectionState state, ByteBuffer applicationData, ByteBuffer out) {
        Call call = new Call(state);
        call.run(() -> {
            call.requireSendable();
            int length = applicationData.remaining();
            int limit = applicationData.limit();
            try {
                do {
                    applicationData.limit(Math.min(limit, applicationData.position() + MAX_PLAINTEXT));
                    if (padsRecords(call.state.writeProtection())) {
                        // padded TLS 1.3 records take the array path, which applies the padding policy
                        byte[] chunk = new byte[applicationData.remaining()];
                        applicationData.get(chunk);
                        RecordProtection.Sealed sealed = sealPadded(call.state.writeProtection(),
                                ContentType.APPLICATION_DATA, chunk);
                        out.put(sealed.record());
                        call.state = call.state.withWriteProtection(sealed.next());
                    } else {
                        call.state = call.state.withWriteProtection(RecordProtection.sealInto(crypto,
                                call.state.writeProtection(), ContentType.APPLICATION_DATA, applicationData, out));
                    }
                    applicationData.limit(limit);
                } while (applicationData.hasRemaining());
            } finally {
                applicationData.limit(limit);
            }
            call.events.add(new HandshakeEvent.ApplicationDataSent(SeedStep.APPLICATION_DATA, length));
        });
        return call.finish();
    }

    /** Sends close_notify (RFC 5246 §7.2.1). The peer's close_notify may follow in a later {@link #advance}. */
    public Step close(ConnectionState state) {
        Call call = new Call(state);
        if (!state.closeNotifySent() && !state.isFailed()) {
            call.run(call::sendCloseNotify);
        }
        return call.finish();
    }

    /**
     * Ends the connection with a fatal alert of the caller's choosing, for failures outside the protocol (the proxy's
     * upstream is gone: internal_error). The alert is protected with whatever keys are current, so a TLS 1.3 peer
     * past ServerHello can read it. A connection already failed or closed is returned unchanged.
     */
    public Step abort(ConnectionState state, AlertDescription alert, String reason) {
        Call call = new Call(state);
        if (!state.isFailed() && !state.closeNotifySent()) {
            call.fail(alert, reason);
        }
        return call.finish();
    }

    /** Starts seed step 11 from our side on an established connection. */
    public Step renegotiate(ConnectionState state) {
        return onEstablished(state, "renegotiation", established -> established::renegotiate);
    }

    /**
     * TLS 1.3 post-handshake authentication (RFC 8446 §4.6.2, seed step 11): a server sends CertificateRequest on an
     * established connection; the client's Certificate, CertificateVerify and Finished arrive through {@link #advance}
     * (application data keeps flowing meanwhile), and on success the session's peer certificates are the new chain.
     *
     * @param mode {@link ClientAuth#REQUIRED}: an empty Certificate ends the connection with certificate_required;
     *             {@link ClientAuth#OPTIONAL}: the client may decline
     * @throws IllegalStateException when this is not an established TLS 1.3 server connection whose client offered
     *                               post_handshake_auth, or a request is still outstanding; nothing is sent then
     */
    public Step requestClientCertificate(ConnectionState state, ClientAuth mode) {
        if (mode == ClientAuth.NONE) {
            throw new IllegalArgumentException("a certificate request is OPTIONAL or REQUIRED");
        }
        return onEstablished(state, "post-handshake authentication",
                established -> context -> established.requestClientCertificate(context, mode));
    }

    /** Runs a transition we start ourselves, which only an established connection allows. */
    private Step onEstablished(ConnectionState state, String what,
            java.util.function.Function<EstablishedState, java.util.function.Function<HandshakeContext, HandshakeState>> start) {
        Call call = new Call(state);
        call.run(() -> {
            if (!(call.state.handshake() instanceof EstablishedState established) || !call.state.isEstablished()) {
                throw new IllegalStateException(what + " needs an established connection");
            }
            call.transition(start.apply(established));
        });
        return call.finish();
    }

    /**
     * One call's work: the evolving state, the records to send, events and received application data.
     *
     * <p>A proxied request is one call per direction with one record and one event, and nothing to send back on the
     * receiving side: the buffers are made only when something is written to them, a single record's plaintext is
     * handed out as it is, and a list of one event is not copied (JFR: these copies and buffers were about a tenth of
     * the proxy's samples per kept-alive request).
     */
    private final class Call {
        ConnectionState state;
        /** Records to send; null until the first. */
        private ByteArrayOutputStream out;
        /** Handshake messages not yet sealed; null until the first. */
        private ByteArrayOutputStream pendingHandshake;
        /** The first record's application data; {@link #moreApplicationData} holds it and the rest once a second comes. */
        private byte[] applicationData = Bytes.EMPTY;
        private ByteArrayOutputStream moreApplicationData;
        final List<HandshakeEvent> events = new ArrayList<>(2);

        Call(ConnectionState state) {
            this.state = state;
        }

        Step finish() {
            flushHandshake();
            byte[] records = out == null ? Bytes.EMPTY : out.toByteArray();
            byte[] received = moreApplicationData == null ? applicationData : moreApplicationData.toByteArray();
            List<HandshakeEvent> happened = events.size() == 1 ? List.of(events.get(0)) : List.copyOf(events);
            return new Step(state, records, happened, received);
        }

        private ByteArrayOutputStream out() {
            if (out == null) {
                out = new ByteArrayOutputStream();
            }
            return out;
        }

        void run(Runnable work) {
            try {
                work.run();
            } catch (TlsAlertException e) {
                fail(e.alert(), e.reason());
            } catch (IllegalStateException e) {
                // a caller asking for something the state does not allow: refuse without ending the connection
                throw e;
            } catch (RuntimeException e) {
                // a bug or a provider fault: the peer learns only internal_error; the reason stays generic
                fail(AlertDescription.INTERNAL_ERROR, "internal error: " + e.getClass().getSimpleName());
            }
        }

        void requireSendable() {
            if (!state.handshake().acceptsApplicationData() || state.closeNotifySent() || state.isFailed()) {
                throw new IllegalStateException("the connection cannot send application data now");
            }
        }

        void receive(byte[] inbound) {
            byte[] buffered = state.inputBuffer().length == 0 ? inbound : Bytes.concat(state.inputBuffer(), inbound);
            RecordFramer.Framed framed = RecordFramer.split(buffered, true);
            if (framed.remainder().length != 0 || state.inputBuffer().length != 0) {
                state = state.withInputBuffer(framed.remainder());
            }
            for (TlsRecord record : framed.records()) {
                if (state.isTerminal()) {
                    break;
                }
                receiveRecord(record);
            }
        }

        void receiveRecord(TlsRecord record) {
            ContentType type;
            byte[] plaintext;
            if (state.readProtection().isTls13() && record.type().equals(ContentType.CHANGE_CIPHER_SPEC)) {
                // RFC 8446 §5: the middlebox-compatibility CCS is never protected, even after the keys changed; the
                // handshake state decides whether it may come now (dropped before the peer's Finished)
                receiveChangeCipherSpec(record.fragment());
                return;
            }
            int skippable = state.handshake() == null ? 0 : state.handshake().earlyDataSkipBudget();
            if (skippable >= record.fragment().length && isPlaintext(state.readProtection())
                    && record.type().equals(ContentType.APPLICATION_DATA)) {
                // RFC 8446 §4.2.10: 0-RTT data sent after a ClientHello we answered with HelloRetryRequest
                skipEarlyData(record);
                return;
            }
            if (isPlaintext(state.readProtection())) {
                if (record.fragment().length > MAX_PLAINTEXT) {
                    throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW, "plaintext record over 2^14 bytes");
                }
                type = record.type();
                plaintext = record.fragment();
            } else {
                boolean tls13 = state.readProtection().isTls13();
                RecordProtection.Opened opened;
                try {
                    opened = RecordProtection.open(crypto, state.readProtection(), record);
                } catch (TlsAlertException e) {
                    if (tls13 && e.alert().equals(AlertDescription.BAD_RECORD_MAC)
                            && record.type().equals(ContentType.APPLICATION_DATA)
                            && skippable >= record.fragment().length) {
                        // RFC 8446 §4.2.10: 0-RTT data under keys we never derived, because we rejected it
                        skipEarlyData(record);
                        return;
                    }
                    throw e;
                }
                state = state.withReadProtection(opened.next());
                type = opened.type();
                plaintext = opened.plaintext();
                if (tls13 && type.equals(ContentType.CHANGE_CIPHER_SPEC)) {
                    // RFC 8446 §5: a protected change_cipher_spec is unexpected_message
                    throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "protected ChangeCipherSpec");
                }
            }
            if (type.equals(ContentType.HANDSHAKE)) {
                receiveHandshake(plaintext);
            } else if (type.equals(ContentType.CHANGE_CIPHER_SPEC)) {
                receiveChangeCipherSpec(plaintext);
            } else if (type.equals(ContentType.ALERT)) {
                receiveAlert(plaintext);
            } else if (type.equals(ContentType.APPLICATION_DATA)) {
                receiveApplicationData(plaintext);
            } else {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "record type " + type);
            }
        }

        void skipEarlyData(TlsRecord record) {
            state = state.withHandshake(state.handshake().earlyDataSkipped(record.fragment().length));
            events.add(new HandshakeEvent.ValueComputed(currentStep(), "early_data_skipped",
                    record.fragment().length + " bytes of rejected 0-RTT data skipped"));
        }

        void receiveHandshake(byte[] fragment) {
            HandshakeReassembler.Reassembled reassembled =
                    HandshakeReassembler.add(state.handshakeBuffer(), fragment, config.maxHandshakeMessageLength());
            state = state.withHandshakeBuffer(reassembled.pending());
            for (byte[] message : reassembled.messages()) {
                HandshakeFrame frame = HandshakeFrame.parse(message);
                HandshakeState current = state.handshake();
                transition(context -> current.onMessage(context, frame));
                if (state.isTerminal()) {
                    return;
                }
            }
        }

        void receiveChangeCipherSpec(byte[] fragment) {
            if (fragment.length != 1 || fragment[0] != 1) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "malformed ChangeCipherSpec");
            }
            if (state.handshakeBuffer().length != 0) {
                // RFC 5246 §7.1 / RFC 8446 §5.1: a key change may not split a handshake message
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "ChangeCipherSpec inside a handshake message");
            }
            HandshakeState current = state.handshake();
            transition(current::onChangeCipherSpec);
        }

        void receiveAlert(byte[] fragment) {
            if (fragment.length != 2) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "alert of " + fragment.length + " bytes");
            }
            AlertLevel level = new AlertLevel(fragment[0] & 0xff);
            AlertDescription description = new AlertDescription(fragment[1] & 0xff);
            SeedStep step = currentStep();
            events.add(new HandshakeEvent.AlertReceived(step, level, description));
            if (description.equals(AlertDescription.CLOSE_NOTIFY)) {
                state = state.withCloseNotifyReceived();
                events.add(new HandshakeEvent.ConnectionClosed(step, true));
                if (!state.closeNotifySent()) {
                    // RFC 5246 §7.2.1: the other party must respond with a close_notify of its own
                    sendCloseNotify();
                }
                return;
            }
            if (level.equals(AlertLevel.WARNING) && !description.equals(AlertDescription.USER_CANCELED)
                    && !description.equals(AlertDescription.NO_RENEGOTIATION)) {
                // RFC 5246 §7.2.2 leaves other warnings to the receiver; we treat them as the failure they report
                level = AlertLevel.FATAL;
            }
            if (level.equals(AlertLevel.FATAL)) {
                state = state.withFailure(new Failure(description, false, step, "peer sent " + description));
            }
            // warning user_canceled / no_renegotiation: noted in events; the connection goes on
        }

        void receiveApplicationData(byte[] plaintext) {
            if (!state.handshake().acceptsApplicationData()) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "application data before the handshake completed");
            }
            if (state.handshakeBuffer().length != 0) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "application data inside a handshake message");
            }
            if (state.closeNotifyReceived()) {
                return; // RFC 5246 §7.2.1: data after close_notify is ignored
            }
            if (moreApplicationData != null) {
                moreApplicationData.writeBytes(plaintext);
            } else if (applicationData.length == 0) {
                applicationData = plaintext; // the plaintext of one record, made for this call: handed out as it is
            } else {
                moreApplicationData = new ByteArrayOutputStream(applicationData.length + plaintext.length);
                moreApplicationData.writeBytes(applicationData);
                moreApplicationData.writeBytes(plaintext);
            }
            events.add(new HandshakeEvent.ApplicationDataReceived(SeedStep.APPLICATION_DATA, plaintext.length));
        }

        /** Runs one handshake transition and applies its effects only if it succeeds. */
        void transition(java.util.function.Function<HandshakeContext, HandshakeState> transition) {
            HandshakeContext context = new HandshakeContext(config, crypto, state);
            HandshakeState next;
            try {
                next = transition.apply(context);
            } catch (RuntimeException e) {
                // what was received and checked before the failure explains it (e.g. the certificate check of step
                // 3); what was about to be sent never leaves, so those events are dropped with the flight
                for (HandshakeEvent event : context.events) {
                    if (!(event instanceof HandshakeEvent.MessageSent || event instanceof HandshakeEvent.ChangeCipherSpecSent
                            || event instanceof HandshakeEvent.KeysChanged)) {
                        events.add(event);
                    }
                }
                throw e;
            }
            events.addAll(context.events);
            state = state.withHandshake(next);
            for (HandshakeContext.Action action : context.actions) {
                apply(action);
            }
        }

        void apply(HandshakeContext.Action action) {
            if (action instanceof HandshakeContext.SendHandshake send) {
                if (pendingHandshake == null) {
                    pendingHandshake = new ByteArrayOutputStream();
                }
                pendingHandshake.writeBytes(send.encoded());
            } else if (action instanceof HandshakeContext.SendChangeCipherSpec) {
                flushHandshake();
                seal(ContentType.CHANGE_CIPHER_SPEC, new byte[] {1});
            } else if (action instanceof HandshakeContext.SendWarning warning) {
                flushHandshake();
                seal(ContentType.ALERT, new byte[] {(byte) AlertLevel.WARNING.code(), (byte) warning.description().code()});
            } else if (action instanceof HandshakeContext.ChangeWriteProtection change) {
                flushHandshake();
                state = state.withWriteProtection(change.protection());
            } else if (action instanceof HandshakeContext.ChangeReadProtection change) {
                state = state.withReadProtection(change.protection());
            } else if (action instanceof HandshakeContext.Established established) {
                state = state.withSession(established.session());
            } else if (action instanceof HandshakeContext.StoreSession store) {
                if (config.sessionCache() != null) {
                    config.sessionCache().store(store.sessionId(), store.session());
                }
            } else if (action instanceof HandshakeContext.RenegotiationCounted) {
                state = state.withRenegotiations(state.renegotiations() + 1);
            }
        }

        void flushHandshake() {
            if (pendingHandshake == null) {
                return;
            }
            if (pendingHandshake.size() == 0 || state.isFailed() && state.failure().sentByUs()) {
                pendingHandshake.reset();
                return;
            }
            byte[] bytes = pendingHandshake.toByteArray();
            pendingHandshake.reset();
            for (byte[] fragment : HandshakeFragmenter.fragment(bytes, MAX_PLAINTEXT)) {
                seal(ContentType.HANDSHAKE, fragment);
            }
        }

        void seal(ContentType type, byte[] plaintext) {
            RecordProtection.Sealed sealed = sealPadded(state.writeProtection(), type, plaintext);
            state = state.withWriteProtection(sealed.next());
            out().writeBytes(sealed.record());
        }

        void sendCloseNotify() {
            flushHandshake();
            seal(ContentType.ALERT, new byte[] {(byte) AlertLevel.WARNING.code(), (byte) AlertDescription.CLOSE_NOTIFY.code()});
            events.add(new HandshakeEvent.AlertSent(currentStep(), AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY,
                    "closing"));
            events.add(new HandshakeEvent.ConnectionClosed(currentStep(), false));
            state = state.withCloseNotifySent();
        }

        void fail(AlertDescription alert, String reason) {
            SeedStep step = currentStep();
            // whatever was queued for this flight is dropped: the peer gets the alert, not half a flight
            if (pendingHandshake != null) {
                pendingHandshake.reset();
            }
            events.add(new HandshakeEvent.AlertSent(step, AlertLevel.FATAL, alert, reason));
            try {
                RecordProtection.Sealed sealed = sealPadded(state.writeProtection(), ContentType.ALERT,
                        new byte[] {(byte) AlertLevel.FATAL.code(), (byte) alert.code()});
                out().writeBytes(sealed.record());
            } catch (RuntimeException e) {
                // the alert itself could not be protected (e.g. sequence numbers exhausted): close without it
            }
            state = state.withFailure(new Failure(alert, true, step, reason));
        }

        SeedStep currentStep() {
            return state.handshake() == null ? SeedStep.CLIENT_HELLO : state.handshake().step();
        }
    }

    /** Every record we protect under TLS 1.3 keys gets the configured padding (RFC 8446 §5.4); others get none. */
    private RecordProtection.Sealed sealPadded(ProtectionState protection, ContentType type, byte[] plaintext) {
        int padding = protection.isTls13() ? config.recordPadding().paddingFor(plaintext.length) : 0;
        return RecordProtection.seal(crypto, protection, type, plaintext, padding);
    }

    private boolean padsRecords(ProtectionState protection) {
        return protection.isTls13() && !config.recordPadding().isNone();
    }

    private static boolean isPlaintext(ProtectionState protection) {
        return protection.suite() == null;
    }
}
