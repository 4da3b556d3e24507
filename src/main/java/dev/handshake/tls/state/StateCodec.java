package dev.handshake.tls.state;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serializes engine state — records of byte[], primitives, Strings, enums, Lists and nested records — to bytes and
 * back, exactly. This is what lets a connection leave one process (for Redis) and continue in another.
 *
 * <p>Design: components are written in declaration order with no names, so a value is compact (tens of bytes of
 * overhead per state). A value whose declared type is an interface carries its concrete class name, and only
 * records under {@code dev.handshake.tls} may be named: decoding can never instantiate anything else (the gadget
 * problem of Java serialization). Every length is checked against what remains, so corrupt input fails with
 * {@link CorruptStateException}, never with an unbounded allocation.
 *
 * <p>A record or list reached twice through the same object (an established connection's session sits both in the
 * connection and in its handshake state, with the peer's whole certificate chain) is written once and referred back
 * to after that, by its position among the values written, and only where it is declared with the same type: format
 * 2. Without it a session with a client certificate stored that chain twice. Format 1 (no back-references) still
 * decodes.
 */
public final class StateCodec {

    private static final int FORMAT_VERSION = 2;
    private static final int FORMAT_WITHOUT_REFERENCES = 1;
    private static final int ABSENT = 0;
    private static final int PRESENT = 1;
    private static final int REFERENCE = 2;
    private static final String ENGINE_PACKAGE = "dev.handshake.tls.";

    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return RecordShape.of(type);
        }
    };

    private StateCodec() {
    }

    public static byte[] encode(Record state) {
        Output out = new Output();
        out.u8(FORMAT_VERSION);
        out.string(shortName(state.getClass()));
        writeRecord(out, state);
        return out.toByteArray();
    }

    public static <T extends Record> T decode(byte[] bytes, Class<T> expected) {
        try {
            Input in = new Input(bytes);
            int format = in.u8();
            if (format != FORMAT_VERSION && format != FORMAT_WITHOUT_REFERENCES) {
                throw new CorruptStateException("unknown state format");
            }
            in.referencesAllowed = format == FORMAT_VERSION;
            Class<?> type = resolve(in.string());
            if (!expected.isAssignableFrom(type)) {
                throw new CorruptStateException("state is a " + type.getSimpleName() + ", not a " + expected.getSimpleName());
            }
            Object value = readRecord(in, type);
            if (in.remaining() != 0) {
                throw new CorruptStateException("trailing bytes after state");
            }
            return expected.cast(value);
        } catch (CorruptStateException e) {
            throw e;
        } catch (RuntimeException e) {
            // a record's own constructor may reject a value that decoded fine: still corrupt state, not a bug here
            throw new CorruptStateException("state does not decode: " + e.getClass().getSimpleName());
        }
    }

    private static void writeRecord(Output out, Object record) {
        RecordShape shape = SHAPES.get(record.getClass());
        for (int i = 0; i < shape.accessors.length; i++) {
            Object component;
            try {
                component = shape.accessors[i].invoke(record);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read " + shape.components[i], e);
            }
            writeValue(out, component, shape.components[i].getGenericType());
        }
    }

    private static Object readRecord(Input in, Class<?> type) {
        RecordShape shape = SHAPES.get(type);
        Object[] args = new Object[shape.components.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = readValue(in, shape.components[i].getGenericType());
        }
        try {
            return shape.constructor.invokeWithArguments(args);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new CorruptStateException("cannot rebuild " + type.getSimpleName());
        }
    }

    private static void writeValue(Output out, Object value, Type declared) {
        Class<?> raw = rawClass(declared);
        if (raw.isPrimitive()) {
            writePrimitive(out, value, raw);
            return;
        }
        if (value == null) {
            out.u8(ABSENT);
            return;
        }
        boolean shareable = raw == List.class || value instanceof Record;
        if (shareable) {
            Output.Written earlier = out.written.get(value);
            if (earlier != null && earlier.declared().equals(declared)) {
                out.u8(REFERENCE);
                out.u32(earlier.index());
                return;
            }
        }
        out.u8(PRESENT);
        writePresent(out, value, declared, raw);
        if (shareable) {
            out.written.putIfAbsent(value, new Output.Written(out.writtenCount, declared));
            out.writtenCount++;
        }
    }

    private static void writePresent(Output out, Object value, Type declared, Class<?> raw) {
        if (raw == byte[].class) {
            out.bytes((byte[]) value);
        } else if (raw == String.class) {
            out.string((String) value);
        } else if (raw == Integer.class || raw == Long.class || raw == Boolean.class) {
            writePrimitive(out, value, raw);
        } else if (raw.isEnum()) {
            out.string(((Enum<?>) value).name());
        } else if (raw == List.class) {
            Type element = ((ParameterizedType) declared).getActualTypeArguments()[0];
            List<?> list = (List<?>) value;
            out.u32(list.size());
            for (Object item : list) {
                writeValue(out, item, element);
            }
        } else if (raw.isRecord() && Modifier.isFinal(raw.getModifiers())) {
            writeRecord(out, value);
        } else if (raw.isInterface() && value instanceof Record) {
            out.string(shortName(value.getClass()));
            writeRecord(out, value);
        } else {
            throw new IllegalArgumentException("not serializable state: " + raw.getName());
        }
    }

    private static Object readValue(Input in, Type declared) {
        Class<?> raw = rawClass(declared);
        if (raw.isPrimitive()) {
            return readPrimitive(in, raw);
        }
        int present = in.u8();
        if (present == ABSENT) {
            return null;
        }
        if (present == REFERENCE && in.referencesAllowed) {
            int index = in.u32();
            if (index < 0 || index >= in.shared.size() || !in.sharedTypes.get(index).equals(declared)) {
                throw new CorruptStateException("bad reference");
            }
            return in.shared.get(index);
        }
        if (present != PRESENT) {
            throw new CorruptStateException("bad presence marker");
        }
        Object value = readPresent(in, declared, raw);
        if (raw == List.class || value instanceof Record) {
            in.shared.add(value);
            in.sharedTypes.add(declared);
        }
        return value;
    }

    private static Object readPresent(Input in, Type declared, Class<?> raw) {
        if (raw == byte[].class) {
            return in.bytes();
        } else if (raw == String.class) {
            return in.string();
        } else if (raw == Integer.class || raw == Long.class || raw == Boolean.class) {
            return readPrimitive(in, raw);
        } else if (raw.isEnum()) {
            String name = in.string();
            for (Object constant : raw.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return constant;
                }
            }
            throw new CorruptStateException("unknown " + raw.getSimpleName() + " constant");
        } else if (raw == List.class) {
            Type element = ((ParameterizedType) declared).getActualTypeArguments()[0];
            int size = in.u32();
            // each element takes at least one byte, so a count above what remains is corrupt, not a huge list
            if (size > in.remaining()) {
                throw new CorruptStateException("list longer than the state");
            }
            List<Object> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(readValue(in, element));
            }
            return List.copyOf(list);
        } else if (raw.isRecord() && Modifier.isFinal(raw.getModifiers())) {
            return readRecord(in, raw);
        } else if (raw.isInterface()) {
            Class<?> concrete = resolve(in.string());
            if (!raw.isAssignableFrom(concrete)) {
                throw new CorruptStateException(concrete.getSimpleName() + " is not a " + raw.getSimpleName());
            }
            return readRecord(in, concrete);
        }
        throw new CorruptStateException("not serializable state: " + raw.getName());
    }

    private static void writePrimitive(Output out, Object value, Class<?> raw) {
        if (raw == int.class || raw == Integer.class) {
            out.u32((Integer) value);
        } else if (raw == long.class || raw == Long.class) {
            out.u64((Long) value);
        } else if (raw == boolean.class || raw == Boolean.class) {
            out.u8((Boolean) value ? 1 : 0);
        } else {
            throw new IllegalArgumentException("unsupported primitive " + raw);
        }
    }

    private static Object readPrimitive(Input in, Class<?> raw) {
        if (raw == int.class || raw == Integer.class) {
            return in.u32();
        } else if (raw == long.class || raw == Long.class) {
            return in.u64();
        } else if (raw == boolean.class || raw == Boolean.class) {
            int b = in.u8();
            if (b > 1) {
                throw new CorruptStateException("bad boolean");
            }
            return b == 1;
        }
        throw new CorruptStateException("unsupported primitive " + raw);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("unsupported state type " + type);
    }

    private static String shortName(Class<?> type) {
        String name = type.getName();
        if (!name.startsWith(ENGINE_PACKAGE) || !type.isRecord()) {
            throw new IllegalArgumentException("only engine records are state: " + name);
        }
        return name.substring(ENGINE_PACKAGE.length());
    }

    private static Class<?> resolve(String shortName) {
        Class<?> type;
        try {
            // initialize=false: naming a class in corrupt input must not run its static initializer
            type = Class.forName(ENGINE_PACKAGE + shortName, false, StateCodec.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CorruptStateException("unknown state type");
        }
        if (!type.isRecord()) {
            throw new CorruptStateException("state types are records");
        }
        return type;
    }

    /** The accessors and canonical constructor of one record type, looked up once. */
    private static final class RecordShape {
        final RecordComponent[] components;
        final MethodHandle[] accessors;
        final MethodHandle constructor;

        private RecordShape(RecordComponent[] components, MethodHandle[] accessors, MethodHandle constructor) {
            this.components = components;
            this.accessors = accessors;
            this.constructor = constructor;
        }

        static RecordShape of(Class<?> type) {
            if (!type.isRecord()) {
                throw new IllegalArgumentException(type + " is not a record");
            }
            RecordComponent[] components = type.getRecordComponents();
            MethodHandle[] accessors = new MethodHandle[components.length];
            Class<?>[] types = new Class<?>[components.length];
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            try {
                for (int i = 0; i < components.length; i++) {
                    var accessor = components[i].getAccessor();
                    accessor.setAccessible(true);
                    accessors[i] = lookup.unreflect(accessor);
                    types[i] = components[i].getType();
                }
                var constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return new RecordShape(components, accessors, lookup.unreflectConstructor(constructor));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot reflect on " + type, e);
            }
        }
    }

    private static final class Output {
        /** A shareable value written in full: its position among those, and the type it was declared with. */
        record Written(int index, Type declared) {
        }

        private byte[] buffer = new byte[512];
        private int size;
        final Map<Object, Written> written = new IdentityHashMap<>();
        int writtenCount;

        void ensure(int n) {
            if (size + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + n));
            }
        }

        void u8(int v) {
            ensure(1);
            buffer[size++] = (byte) v;
        }

        void u32(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buffer[size++] = (byte) (v >>> shift);
            }
        }

        void u64(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[size++] = (byte) (v >>> shift);
            }
        }

        void bytes(byte[] b) {
            u32(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buffer, size, b.length);
            size += b.length;
        }

        void string(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }
    }

    private static final class Input {
        private final byte[] buffer;
        private int position;
        boolean referencesAllowed;
        /** Records and lists decoded in full, in the order they were written: what a reference points into. */
        final List<Object> shared = new ArrayList<>();
        final List<Type> sharedTypes = new ArrayList<>();

        Input(byte[] buffer) {
            this.buffer = buffer;
        }

        int remaining() {
            return buffer.length - position;
        }

        private void require(int n) {
            if (n < 0 || remaining() < n) {
                throw new CorruptStateException("truncated state");
            }
        }

        int u8() {
            require(1);
            return buffer[position++] & 0xff;
        }

        int u32() {
            require(4);
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (buffer[position++] & 0xff);
            }
            return v;
        }

        long u64() {
            require(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buffer[position++] & 0xff);
            }
            return v;
        }

        byte[] bytes() {
            int length = u32();
            require(length);
            byte[] out = Arrays.copyOfRange(buffer, position, position + length);
            position += length;
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }
}
