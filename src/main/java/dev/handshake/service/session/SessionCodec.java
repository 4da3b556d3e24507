package dev.handshake.service.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The byte form of a {@link SessionRecord}: what the in-memory repository holds and what Redis will hold. Binary and
 * length-prefixed, so an established relay session costs its engine state plus a few hundred bytes; the engine states
 * are embedded exactly as {@code ConnectionState.toBytes()} wrote them.
 *
 * <p>Layout: magic {@code "HS"}, format version, then the record's components in declaration order. Decoded fields of
 * walkthrough events are JSON (they are open-ended maps). A record written by an unknown format version is refused,
 * never guessed at.
 */
public final class SessionCodec {

    private static final int MAGIC = ('H' << 8) | 'S';
    /**
     * 2 added the capture (records seen and key log); a format 1 record reads with an empty capture. 3 added the
     * record padding to the options; older records read with none.
     */
    private static final int FORMAT = 3;
    /** Bounds what a corrupt or hostile stored value can make us allocate while decoding. */
    private static final int MAX_LENGTH = 16 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() { };

    private SessionCodec() {
    }

    public static byte[] encode(SessionRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512 + r.states().stream().mapToInt(s -> s.length).sum());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(MAGIC);
            out.writeByte(FORMAT);
            string(out, r.id());
            out.writeByte(r.mode().ordinal());
            out.writeLong(r.version());
            out.writeByte(r.status().ordinal());
            out.writeLong(r.createdAt());
            out.writeLong(r.lastFlightAt());
            out.writeInt(r.droppedEvents());
            options(out, r.options());
            out.writeShort(r.states().size());
            for (byte[] state : r.states()) {
                bytes(out, state);
            }
            out.writeShort(r.transcript().size());
            for (TranscriptEntry e : r.transcript()) {
                out.writeByte(e.step());
                string(out, e.actor());
                string(out, e.event());
                string(out, e.summary());
            }
            out.writeBoolean(r.failure() != null);
            if (r.failure() != null) {
                SessionRecord.FailureSummary f = r.failure();
                string(out, f.alert());
                out.writeShort(f.alertCode());
                string(out, f.sentBy());
                out.writeByte(f.step());
                string(out, f.reason());
            }
            out.writeBoolean(r.walkthrough() != null);
            if (r.walkthrough() != null) {
                walkthrough(out, r.walkthrough());
            }
            capture(out, r.capture());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static SessionRecord decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int format;
            if (in.readUnsignedShort() != MAGIC || (format = in.readUnsignedByte()) < 1 || format > FORMAT) {
                throw new IllegalArgumentException("not a session record of format 1 to " + FORMAT);
            }
            String id = string(in);
            Mode mode = Mode.values()[in.readUnsignedByte()];
            long version = in.readLong();
            SessionStatus status = SessionStatus.values()[in.readUnsignedByte()];
            long createdAt = in.readLong();
            long lastFlightAt = in.readLong();
            int dropped = in.readInt();
            SessionOptions options = options(in, format);
            int stateCount = in.readUnsignedShort();
            List<byte[]> states = new ArrayList<>(stateCount);
            for (int i = 0; i < stateCount; i++) {
                states.add(bytes(in));
            }
            int transcriptCount = in.readUnsignedShort();
            List<TranscriptEntry> transcript = new ArrayList<>(transcriptCount);
            for (int i = 0; i < transcriptCount; i++) {
                transcript.add(new TranscriptEntry(in.readUnsignedByte(), string(in), string(in), string(in)));
            }
            SessionRecord.FailureSummary failure = null;
            if (in.readBoolean()) {
                failure = new SessionRecord.FailureSummary(string(in), in.readUnsignedShort(), string(in),
                        in.readUnsignedByte(), string(in));
            }
            WalkthroughProgress walkthrough = in.readBoolean() ? walkthrough(in) : null;
            SessionCapture capture = format >= 2 ? capture(in) : SessionCapture.EMPTY;
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after a session record");
            }
            return new SessionRecord(id, mode, options, version, status, states, transcript, dropped, failure,
                    walkthrough, createdAt, lastFlightAt, capture);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated session record", e);
        }
    }

    private static void options(DataOutputStream out, SessionOptions o) throws IOException {
        string(out, o.version());
        string(out, o.profile());
        string(out, o.cipherSuite());
        string(out, o.keyExchange());
        string(out, o.serverName());
        string(out, o.clientAuth());
        strings(out, o.applicationProtocols());
        strings(out, o.faults());
        out.writeShort(o.recordPadding());
    }

    private static SessionOptions options(DataInputStream in, int format) throws IOException {
        return new SessionOptions(string(in), string(in), string(in), string(in), string(in), string(in), strings(in),
                strings(in), format >= 3 ? in.readUnsignedShort() : 0);
    }

    private static void walkthrough(DataOutputStream out, WalkthroughProgress w) throws IOException {
        out.writeByte(w.nextStep());
        bytes(out, w.inFlight());
        out.writeBoolean(w.toServer());
        out.writeByte(w.clientMaxStep());
        out.writeByte(w.serverMaxStep());
        out.writeInt(w.pending().size());
        for (WalkthroughProgress.WalkEvent e : w.pending()) {
            out.writeByte(e.step());
            out.writeByte(e.engineStep());
            string(out, e.actor());
            string(out, e.kind());
            string(out, e.name());
            string(out, e.fields() == null ? null : JSON.writeValueAsString(e.fields()));
            string(out, e.raw());
            string(out, e.summary());
        }
        out.writeInt(w.revealed().size());
        for (WalkthroughProgress.DerivedValue v : w.revealed()) {
            out.writeByte(v.step());
            string(out, v.actor());
            string(out, v.name());
            string(out, v.value());
            out.writeBoolean(v.secret());
        }
        out.writeBoolean(w.applicationDataExchanged());
        out.writeByte(w.stoppedAt());
    }

    private static WalkthroughProgress walkthrough(DataInputStream in) throws IOException {
        int nextStep = in.readUnsignedByte();
        byte[] inFlight = bytes(in);
        boolean toServer = in.readBoolean();
        int clientMax = in.readUnsignedByte();
        int serverMax = in.readUnsignedByte();
        int pendingCount = count(in.readInt());
        List<WalkthroughProgress.WalkEvent> pending = new ArrayList<>();
        for (int i = 0; i < pendingCount; i++) {
            int step = in.readUnsignedByte();
            int engineStep = in.readUnsignedByte();
            String actor = string(in);
            String kind = string(in);
            String name = string(in);
            String fieldsJson = string(in);
            Map<String, Object> fields = fieldsJson == null ? null : JSON.readValue(fieldsJson, FIELDS);
            pending.add(new WalkthroughProgress.WalkEvent(step, engineStep, actor, kind, name, fields, string(in),
                    string(in)));
        }
        int revealedCount = count(in.readInt());
        List<WalkthroughProgress.DerivedValue> revealed = new ArrayList<>();
        for (int i = 0; i < revealedCount; i++) {
            revealed.add(new WalkthroughProgress.DerivedValue(in.readUnsignedByte(), string(in), string(in), string(in),
                    in.readBoolean()));
        }
        return new WalkthroughProgress(nextStep, inFlight, toServer, clientMax, serverMax, pending, revealed,
                in.readBoolean(), in.readUnsignedByte());
    }

    private static void capture(DataOutputStream out, SessionCapture c) throws IOException {
        out.writeInt(c.chunks().size());
        for (SessionCapture.Chunk chunk : c.chunks()) {
            out.writeBoolean(chunk.fromClient());
            bytes(out, chunk.bytes());
        }
        out.writeInt(c.storedBytes());
        out.writeLong(c.droppedBytes());
        string(out, c.clientRandom());
        strings(out, c.keyLog());
    }

    private static SessionCapture capture(DataInputStream in) throws IOException {
        int n = count(in.readInt());
        List<SessionCapture.Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunks.add(new SessionCapture.Chunk(in.readBoolean(), bytes(in)));
        }
        return new SessionCapture(chunks, in.readInt(), in.readLong(), string(in), strings(in));
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeShort(values.size());
        for (String value : values) {
            string(out, value);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(string(in));
        }
        return values;
    }

    /** Length-prefixed UTF-8; length -1 is null. */
    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        bytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(DataInputStream in) throws IOException {
        byte[] bytes = nullableBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void bytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] bytes = nullableBytes(in);
        if (bytes == null) {
            throw new IllegalArgumentException("missing bytes in a session record");
        }
        return bytes;
    }

    private static byte[] nullableBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        byte[] bytes = new byte[count(length)];
        in.readFully(bytes);
        return bytes;
    }

    private static int count(int length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("implausible length in a session record: " + length);
        }
        return length;
    }
}
