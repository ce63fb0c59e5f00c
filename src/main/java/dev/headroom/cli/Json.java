package dev.headroom.cli;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one JSON style of the command line: indented; a value that does not apply is written as null.
 *
 * <p>Records, maps with text keys, collections, enums and scalars are written here with Jackson's streaming
 * generator, in the order and form Jackson's data binding gives them; anything else (a tree a command built, a
 * record with getters or Jackson annotations, a map with other keys) goes to data binding itself. The reason is
 * start-up: building data binding's serializers for an estimate costs a cold command about 0.13 s, more than the
 * whole sizing. JsonTest checks that both write the same text for every kind of result the commands print.
 */
final class Json {
    /** Data binding, built on first use: for trees and for what the fast path does not write. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    private static final JsonFactory FACTORY = new JsonFactory();
    /** Per class: whether the fast path writes its instances as data binding would (see {@link #plain}). */
    private static final Map<Class<?>, Boolean> PLAIN = new ConcurrentHashMap<>();
    /**
     * Per enum: the method marked {@code @JsonValue}; the enum class itself when it has no Jackson annotation
     * (written by name); {@code false} when its constants carry some (written by data binding).
     */
    private static final Map<Class<?>, Object> ENUM_VALUES = new ConcurrentHashMap<>();

    /** Tests set this to write everything through data binding and compare the two texts. */
    static volatile boolean dataBindingOnly;

    private Json() {
    }

    static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    static String write(Object value) {
        if (dataBindingOnly) {
            try {
                return mapper().writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException("cannot write JSON: " + e.getMessage(), e);
            }
        }
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(text)) {
            generator.useDefaultPrettyPrinter(); // the printer SerializationFeature.INDENT_OUTPUT uses
            value(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getMessage(), e);
        }
        return text.toString();
    }

    private static void value(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof Boolean flag) {
            out.writeBoolean(flag);
        } else if (value instanceof Integer number) {
            out.writeNumber(number);
        } else if (value instanceof Long number) {
            out.writeNumber(number);
        } else if (value instanceof Double number) {
            out.writeNumber(number);
        } else if (value instanceof Float number) {
            out.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            out.writeNumber(number);
        } else if (value instanceof BigInteger number) {
            out.writeNumber(number);
        } else if (value instanceof Enum<?> constant) {
            enumValue(out, constant);
        } else if (value instanceof Record record && plain(record.getClass())) {
            out.writeStartObject();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                out.writeFieldName(component.getName());
                value(out, invoke(component.getAccessor(), record));
            }
            out.writeEndObject();
        } else if (value instanceof Map<?, ?> map && textKeys(map) && plain(map.getClass())) {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.writeFieldName((String) entry.getKey());
                value(out, entry.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof Iterable<?> elements && value instanceof java.util.Collection<?>
                && plain(value.getClass())) {
            out.writeStartArray();
            for (Object element : elements) {
                value(out, element);
            }
            out.writeEndArray();
        } else {
            if (value instanceof TreeNode) {
                out.setCodec(mapper());
            }
            mapper().writeValue(out, value);
        }
    }

    private static void enumValue(JsonGenerator out, Enum<?> constant) throws IOException {
        Object marked = ENUM_VALUES.computeIfAbsent(constant.getDeclaringClass(), type -> {
            for (java.lang.reflect.Field field : type.getDeclaredFields()) {
                if (hasJacksonAnnotation(field.getAnnotations())) {
                    return false;
                }
            }
            for (Method method : type.getMethods()) {
                if (method.isAnnotationPresent(JsonValue.class) && method.getParameterCount() == 0) {
                    return method;
                }
            }
            return type;
        });
        if (marked instanceof Method method) {
            value(out, invoke(method, constant));
        } else if (marked instanceof Class<?>) {
            out.writeString(constant.name());
        } else {
            mapper().writeValue(out, constant);
        }
    }

    /**
     * Whether data binding would write this type only from what the fast path writes: a record's components (no
     * getter-like methods of its own, which data binding adds as properties, and no Jackson annotations), or a
     * map or collection from the JDK or this program without annotations.
     */
    private static boolean plain(Class<?> type) {
        return PLAIN.computeIfAbsent(type, t -> {
            if (hasJacksonAnnotation(t.getAnnotations())) {
                return false;
            }
            if (!t.isRecord()) {
                return true;
            }
            for (Method method : t.getDeclaredMethods()) {
                boolean getterLike = method.getParameterCount() == 0 && Modifier.isPublic(method.getModifiers())
                        && !Modifier.isStatic(method.getModifiers()) && method.getReturnType() != void.class
                        && (method.getName().startsWith("get") || method.getName().startsWith("is"));
                if (getterLike || hasJacksonAnnotation(method.getAnnotations())) {
                    return false;
                }
            }
            for (RecordComponent component : t.getRecordComponents()) {
                if (hasJacksonAnnotation(component.getAnnotations())) {
                    return false;
                }
            }
            return true;
        });
    }

    private static boolean hasJacksonAnnotation(java.lang.annotation.Annotation[] annotations) {
        for (java.lang.annotation.Annotation annotation : annotations) {
            if (annotation.annotationType().getName().startsWith("com.fasterxml.jackson.")) {
                return true;
            }
        }
        return false;
    }

    private static boolean textKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }

    private static Object invoke(Method accessor, Object target) {
        try {
            accessor.setAccessible(true);
            return accessor.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + accessor, e);
        }
    }
}
