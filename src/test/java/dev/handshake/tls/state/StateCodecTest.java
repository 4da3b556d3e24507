package dev.handshake.tls.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.CipherSuiteId;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    /** Stand-ins for engine state: an interface with two record implementations, nested records, lists, nulls. */
    interface Phase {
    }

    record Waiting(byte[] transcript, long deadline) implements Phase {
    }

    record Done(CipherSuiteId suite, Secret master, List<byte[]> chain, Profile profile, Integer limit) implements Phase {
    }

    record Connection(String name, boolean open, int count, Phase phase, List<Phase> history, byte[] nothing) {
    }

    private static Connection sample() {
        Phase done = new Done(CipherSuiteId.TLS_AES_128_GCM_SHA256, new Secret(new byte[] {1, 2, 3}),
                List.of(new byte[] {9, 9}, new byte[0]), Profile.LEGACY, null);
        return new Connection("c\u00e9", true, -7, done, List.of(new Waiting(new byte[] {5}, Long.MIN_VALUE), done), null);
    }

    @Test
    void roundTripsNestedRecordsInterfacesListsAndNulls() {
        Connection original = sample();
        byte[] encoded = StateCodec.encode(original);
        Connection decoded = StateCodec.decode(encoded, Connection.class);

        assertThat(decoded.name()).isEqualTo("c\u00e9");
        assertThat(decoded.open()).isTrue();
        assertThat(decoded.count()).isEqualTo(-7);
        assertThat(decoded.nothing()).isNull();
        Done done = (Done) decoded.phase();
        assertThat(done.suite()).isEqualTo(CipherSuiteId.TLS_AES_128_GCM_SHA256);
        assertThat(done.master()).isEqualTo(new Secret(new byte[] {1, 2, 3}));
        assertThat(done.chain()).hasSize(2);
        assertThat(done.chain().get(0)).containsExactly(9, 9);
        assertThat(done.profile()).isEqualTo(Profile.LEGACY);
        assertThat(done.limit()).isNull();
        assertThat(((Waiting) decoded.history().get(0)).deadline()).isEqualTo(Long.MIN_VALUE);
        assertThat(StateCodec.encode(decoded)).isEqualTo(encoded);
    }

    @Test
    void aValueReachedTwiceIsWrittenOnceAndDecodesAsOneObject() {
        byte[] bigCertificate = new byte[2000];
        new Random(1).nextBytes(bigCertificate);
        Done shared = new Done(CipherSuiteId.TLS_AES_128_GCM_SHA256, new Secret(new byte[] {1}), List.of(bigCertificate),
                Profile.MODERN, 3);
        Done equalCopy = new Done(shared.suite(), shared.master(), List.of(bigCertificate.clone()), shared.profile(), 3);

        byte[] once = StateCodec.encode(new Connection("c", true, 1, shared, List.of(shared), null));
        byte[] twice = StateCodec.encode(new Connection("c", true, 1, shared, List.of(equalCopy), null));

        assertThat(once.length).as("the chain is written once").isLessThan(bigCertificate.length + 200);
        assertThat(twice.length).as("equal but distinct objects are both written").isGreaterThan(2 * bigCertificate.length);
        Connection decoded = StateCodec.decode(once, Connection.class);
        assertThat(decoded.history().get(0)).isSameAs(decoded.phase());
        assertThat(((Done) decoded.phase()).chain().get(0)).isEqualTo(bigCertificate);
        assertThat(StateCodec.encode(decoded)).isEqualTo(once);
    }

    @Test
    void aReferenceToAValueOfAnotherDeclaredTypeOrBeyondWhatWasReadIsCorrupt() {
        byte[] encoded = StateCodec.encode(sample());
        // the encoding ends with history's second element, a reference to the Done read before, then `nothing` (null)
        int marker = encoded.length - 6;
        assertThat(encoded[marker]).as("a reference marker").isEqualTo((byte) 2);
        assertThat(encoded[encoded.length - 1]).isZero();

        byte[] otherType = encoded.clone();
        otherType[marker + 4] = 0; // the first value read: the Secret, declared as a Secret, not as a Phase
        assertThatThrownBy(() -> StateCodec.decode(otherType, Connection.class))
                .isInstanceOf(CorruptStateException.class).hasMessageContaining("bad reference");
        byte[] beyond = encoded.clone();
        beyond[marker + 1] = 0x7f;
        assertThatThrownBy(() -> StateCodec.decode(beyond, Connection.class))
                .isInstanceOf(CorruptStateException.class).hasMessageContaining("bad reference");
    }

    @Test
    void formatOneStatesStillDecodeAndNeverCarryReferences() {
        Phase done = new Done(CipherSuiteId.TLS_AES_128_GCM_SHA256, new Secret(new byte[] {1, 2, 3}), List.of(),
                Profile.LEGACY, 4);
        byte[] unshared = StateCodec.encode(new Connection("c", false, 2, done, List.of(), new byte[] {7}));
        assertThat(unshared[0]).as("written as format 2").isEqualTo((byte) 2);
        byte[] formatOne = unshared.clone();
        formatOne[0] = 1; // without shared values the two formats are the same bytes
        Connection decoded = StateCodec.decode(formatOne, Connection.class);
        assertThat(((Done) decoded.phase()).limit()).isEqualTo(4);
        assertThat(decoded.nothing()).containsExactly(7);

        byte[] withReference = StateCodec.encode(sample());
        withReference[0] = 1;
        assertThatThrownBy(() -> StateCodec.decode(withReference, Connection.class))
                .isInstanceOf(CorruptStateException.class).hasMessageContaining("presence marker");
    }

    @Test
    void rejectsEveryTruncation() {
        byte[] encoded = StateCodec.encode(sample());
        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> StateCodec.decode(truncated, Connection.class))
                    .isInstanceOf(CorruptStateException.class);
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] encoded = StateCodec.encode(sample());
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertThatThrownBy(() -> StateCodec.decode(longer, Connection.class)).isInstanceOf(CorruptStateException.class);
    }

    @Test
    void neverNamesAClassOutsideTheEngine() {
        // a type name that points outside dev.handshake.tls must be refused, whatever the rest says
        byte[] encoded = StateCodec.encode(sample());
        String text = new String(encoded, java.nio.charset.StandardCharsets.ISO_8859_1);
        String forged = text.replace("state.StateCodecTest$Connection", "state.StateCodecTest$Xonnection");
        assertThatThrownBy(() -> StateCodec.decode(forged.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                Connection.class)).isInstanceOf(CorruptStateException.class);
    }

    @Test
    void randomCorruptionFailsOnlyWithCorruptStateOrDecodesToSomething() {
        byte[] encoded = StateCodec.encode(sample());
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            byte[] corrupt = encoded.clone();
            corrupt[random.nextInt(corrupt.length)] ^= (byte) (1 + random.nextInt(255));
            try {
                StateCodec.decode(corrupt, Connection.class);
            } catch (CorruptStateException expected) {
                // the only failure allowed
            }
        }
    }
}
