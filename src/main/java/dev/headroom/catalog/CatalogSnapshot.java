package dev.headroom.catalog;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The built-in catalogs, validated at build time and stored as a compact stream of their records, so that a
 * command does not pay for JSON data binding at start-up (Jackson's first read of the five files costs about
 * 0.4 s of a cold JVM; this stream reads in about 0.03 s). The JSON files stay the truth: the build writes the
 * snapshot from them ({@link #main}, at process-classes), the snapshot carries a checksum of the files it was made
 * from, and a snapshot that is missing, stale or unreadable is ignored in favour of the files themselves.
 *
 * <p>The stream is generic over records, lists, strings, boxed numbers and enums: each record is written as its
 * components in declaration order and rebuilt through its canonical constructor, so the compact constructors run
 * as they do for JSON.
 */
final class CatalogSnapshot {
    static final String RESOURCE = "/catalogs/built-in.snapshot";
    private static final int FORMAT = 1;

    /** One built-in file: the date it says it was revised and its valid entries in file order. */
    record BuiltIn(String updated, List<? extends CatalogEntry> entries) {
    }

    private CatalogSnapshot() {
    }

    /** Writes the snapshot of the built-in catalogs to the path given; the build runs this after compiling. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), "snapshot", ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            write(out);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads every built-in JSON file, validates it (a problem fails here) and writes the snapshot. */
    static void write(OutputStream target) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(target));
        out.writeInt(FORMAT);
        out.writeLong(checksumOfJsonFiles());
        Writer writer = new Writer(out);
        for (CatalogKind kind : CatalogKind.values()) {
            BuiltIn file = CatalogLoader.readBuiltInJson(kind);
            writer.value(file.updated());
            writer.value(file.entries());
        }
        out.flush();
    }

    /** The built-in files from the snapshot, or null when there is none or it was not made from these files. */
    static Map<CatalogKind, BuiltIn> read() {
        InputStream resource = CatalogSnapshot.class.getResourceAsStream(RESOURCE);
        return resource == null ? null : read(resource, checksumOfJsonFiles());
    }

    /** The files in a snapshot made from JSON files with this checksum; null for another checksum or a bad stream. */
    static Map<CatalogKind, BuiltIn> read(InputStream snapshot, long checksum) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(snapshot, 1 << 16))) {
            if (in.readInt() != FORMAT || in.readLong() != checksum) {
                return null;
            }
            Reader reader = new Reader(in);
            Map<CatalogKind, BuiltIn> files = new EnumMap<>(CatalogKind.class);
            for (CatalogKind kind : CatalogKind.values()) {
                String updated = (String) reader.value();
                @SuppressWarnings("unchecked")
                List<? extends CatalogEntry> entries = (List<? extends CatalogEntry>) reader.value();
                files.put(kind, new BuiltIn(updated, entries));
            }
            return files;
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            return null; // a snapshot from another build of the classes: the JSON files are read instead
        }
    }

    /** CRC-32 over the built-in JSON files as this build carries them. */
    static long checksumOfJsonFiles() {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        for (CatalogKind kind : CatalogKind.values()) {
            try (InputStream in = CatalogSnapshot.class.getResourceAsStream("/catalogs/" + kind.fileName())) {
                if (in == null) {
                    return -1;
                }
                for (int n; (n = in.read(buffer)) > 0; ) {
                    crc.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crc.getValue();
    }

    private static final int NULL = 0, STRING = 1, STRING_AGAIN = 2, INTEGER = 3, LONG = 4, DOUBLE = 5, BOOLEAN = 6,
            ENUM = 7, LIST = 8, RECORD = 9;
    private static final int NEW_CLASS = -1;

    private static final class Writer {
        private final DataOutputStream out;
        private final Map<String, Integer> strings = new HashMap<>();
        private final Map<Class<?>, Integer> classes = new HashMap<>();

        Writer(DataOutputStream out) {
            this.out = out;
        }

        void value(Object value) throws IOException {
            if (value == null) {
                out.writeByte(NULL);
            } else if (value instanceof String text) {
                Integer seen = strings.get(text);
                if (seen != null) {
                    out.writeByte(STRING_AGAIN);
                    out.writeInt(seen);
                } else {
                    strings.put(text, strings.size());
                    out.writeByte(STRING);
                    out.writeUTF(text);
                }
            } else if (value instanceof Integer number) {
                out.writeByte(INTEGER);
                out.writeInt(number);
            } else if (value instanceof Long number) {
                out.writeByte(LONG);
                out.writeLong(number);
            } else if (value instanceof Double number) {
                out.writeByte(DOUBLE);
                out.writeDouble(number);
            } else if (value instanceof Boolean flag) {
                out.writeByte(BOOLEAN);
                out.writeBoolean(flag);
            } else if (value instanceof Enum<?> constant) {
                out.writeByte(ENUM);
                type(constant.getDeclaringClass());
                out.writeShort(constant.ordinal());
            } else if (value instanceof List<?> list) {
                out.writeByte(LIST);
                out.writeInt(list.size());
                for (Object element : list) {
                    value(element);
                }
            } else if (value instanceof Record record) {
                out.writeByte(RECORD);
                type(record.getClass());
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    try {
                        value(component.getAccessor().invoke(record));
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + component, e);
                    }
                }
            } else {
                // A catalog type the snapshot cannot hold fails the build here, not a user's start-up.
                throw new IllegalArgumentException("the catalog snapshot cannot hold a " + value.getClass().getName());
            }
        }

        private void type(Class<?> type) throws IOException {
            Integer seen = classes.get(type);
            if (seen != null) {
                out.writeShort(seen);
            } else {
                classes.put(type, classes.size());
                out.writeShort(NEW_CLASS);
                out.writeUTF(type.getName());
            }
        }
    }

    private static final class Reader {
        private final DataInputStream in;
        private final List<String> strings = new ArrayList<>();
        private final List<Class<?>> classes = new ArrayList<>();
        private final Map<Class<?>, Constructor<?>> constructors = new HashMap<>();

        Reader(DataInputStream in) {
            this.in = in;
        }

        Object value() throws IOException, ReflectiveOperationException {
            int tag = in.readByte();
            switch (tag) {
                case NULL:
                    return null;
                case STRING:
                    String text = in.readUTF();
                    strings.add(text);
                    return text;
                case STRING_AGAIN:
                    return strings.get(in.readInt());
                case INTEGER:
                    return in.readInt();
                case LONG:
                    return in.readLong();
                case DOUBLE:
                    return in.readDouble();
                case BOOLEAN:
                    return in.readBoolean();
                case ENUM:
                    return type().getEnumConstants()[in.readShort()];
                case LIST:
                    Object[] elements = new Object[in.readInt()];
                    for (int i = 0; i < elements.length; i++) {
                        elements[i] = value();
                    }
                    return java.util.Collections.unmodifiableList(java.util.Arrays.asList(elements));
                case RECORD:
                    Constructor<?> constructor = canonicalConstructor(type());
                    Object[] components = new Object[constructor.getParameterCount()];
                    for (int i = 0; i < components.length; i++) {
                        components[i] = value();
                    }
                    return constructor.newInstance(components);
                default:
                    throw new IOException("unknown tag " + tag);
            }
        }

        private Class<?> type() throws IOException, ClassNotFoundException {
            int index = in.readShort();
            if (index != NEW_CLASS) {
                return classes.get(index);
            }
            String name = in.readUTF();
            if (!name.startsWith(CatalogSnapshot.class.getPackageName() + ".")) {
                throw new ClassNotFoundException(name + " is not a catalog type");
            }
            Class<?> type = Class.forName(name, false, CatalogSnapshot.class.getClassLoader());
            classes.add(type);
            return type;
        }

        private Constructor<?> canonicalConstructor(Class<?> type) throws NoSuchMethodException {
            Constructor<?> known = constructors.get(type);
            if (known != null) {
                return known;
            }
            RecordComponent[] components = type.getRecordComponents();
            if (components == null) {
                throw new NoSuchMethodException(type.getName() + " is not a record");
            }
            Class<?>[] parameterTypes = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                parameterTypes[i] = components[i].getType();
            }
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            constructors.put(type, constructor);
            return constructor;
        }
    }
}
