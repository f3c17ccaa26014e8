package dev.outlayer.bench.targetsystem.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer of JSON-RPC answers as nearcore sends them: every object of a result sorted by key at every depth.
 * nearcore's handler turns each result into a serde_json {@code Value} (chain/jsonrpc/src/lib.rs), whose
 * {@code Map} is a BTreeMap since nearcore builds serde_json without {@code preserve_order}; the envelope and
 * the RpcError struct are serialised directly, in struct order ({@link StructOrder}). Records and maps are
 * sorted by Jackson itself; {@code @JsonPropertyOrder} is ignored here (it is the order of the other APIs);
 * a record with {@code @JsonUnwrapped} (serde's flatten) members has the members merged into one sorted
 * object ({@link Merged}). Keys sort as Java strings: the same as bytes for the ASCII keys nearcore writes.
 */
public final class RpcJson {
    /** A record nearcore serialises as a struct, not through a Value: its members in declaration order. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface StructOrder {}

    public static final ObjectMapper MAPPER = ((JsonMapper) JsonCodec.MAPPER)
            .rebuild()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            // Else a record's components (its creator's) come first, only sorted among themselves.
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .annotationIntrospector(new Sorted())
            .addModule(new SimpleModule("rpc-sorted-objects").setSerializerModifier(new Flatten()))
            .build();

    private RpcJson() {}

    public static byte[] bytes(Object value) {
        return JsonCodec.bytes(MAPPER, value);
    }

    /** {@code value} written once as an RPC answer, kept to be sent as it is. */
    public static RawJson rendered(Object value) {
        return RawJson.written(new String(bytes(value), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static final class Sorted extends JacksonAnnotationIntrospector {
        @Override
        public String[] findSerializationPropertyOrder(AnnotatedClass ac) {
            return null;
        }

        @Override
        public Boolean findSerializationSortAlphabetically(Annotated ann) {
            return ann.hasAnnotation(StructOrder.class) ? Boolean.FALSE : Boolean.TRUE;
        }
    }

    private static final class Flatten extends BeanSerializerModifier {
        @Override
        public JsonSerializer<?> modifySerializer(
                SerializationConfig config, BeanDescription description, JsonSerializer<?> serializer) {
            if (!(serializer instanceof BeanSerializerBase bean)
                    || description.getClassInfo().hasAnnotation(StructOrder.class)) {
                return serializer;
            }
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (property.getAccessor() != null
                        && config.getAnnotationIntrospector().findUnwrappingNameTransformer(property.getAccessor())
                                != null) {
                    return new Merged(bean);
                }
            }
            return serializer;
        }
    }

    /** One member of a merged object: its writer and the record it is read from. */
    private record Member(BeanPropertyWriter writer, Object owner) {}

    /** Markers of a plan's owners: the record itself, or its flattened member's record. */
    private static final Object OUTER = new Object();

    private static final Object INNER = new Object();

    private static Object read(BeanPropertyWriter writer, Object owner, SerializerProvider provider)
            throws JsonMappingException {
        try {
            return writer.get(owner);
        } catch (Exception e) {
            throw JsonMappingException.from(provider, "cannot read " + writer.getName(), e);
        }
    }

    private static void write(BeanPropertyWriter writer, Object owner, JsonGenerator gen, SerializerProvider provider)
            throws IOException {
        try {
            writer.serializeAsField(owner, gen, provider);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw JsonMappingException.from(provider, "cannot write " + writer.getName(), e);
        }
    }

    private static final Comparator<Member> BY_NAME =
            Comparator.comparing(member -> member.writer().getName());

    /**
     * A record with flattened members, written as serde writes it into a Value: its own members and the
     * flattened records' (at any depth) in one object, sorted. The flattened record's class is known only
     * when written (serde's untagged kinds): a record with one flattened member keeps the sorted order per
     * class of that member (a plan, made once); otherwise the members are gathered and sorted each time.
     */
    private static final class Merged extends StdSerializer<Object> implements ResolvableSerializer {
        private final BeanSerializerBase bean;
        private BeanPropertyWriter[] writers;
        /** The one flattened member's writer, or null when there are several. */
        private BeanPropertyWriter flattened;
        /** Per class of the flattened member (Void: none), its members and the record's, sorted. */
        private final ConcurrentHashMap<Class<?>, Member[]> plans = new ConcurrentHashMap<>();

        Merged(BeanSerializerBase bean) {
            super(Object.class);
            this.bean = bean;
        }

        @Override
        public void resolve(SerializerProvider provider) throws JsonMappingException {
            bean.resolve(provider);
            List<BeanPropertyWriter> list = new ArrayList<>();
            for (Iterator<PropertyWriter> it = bean.properties(); it.hasNext(); ) {
                list.add((BeanPropertyWriter) it.next());
            }
            writers = list.toArray(BeanPropertyWriter[]::new);
            List<BeanPropertyWriter> unwrapping =
                    list.stream().filter(BeanPropertyWriter::isUnwrapping).toList();
            flattened = unwrapping.size() == 1 ? unwrapping.get(0) : null;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (flattened != null) {
                Object inner = read(flattened, value, provider);
                Member[] plan = plans.get(inner == null ? Void.class : inner.getClass());
                if (plan == null) {
                    plan = plan(value, inner, provider);
                }
                if (plan != null) {
                    gen.writeStartObject(value);
                    for (Member member : plan) {
                        // a plan's owner is a marker: INNER for the flattened member's record, else the record
                        write(member.writer(), member.owner() == INNER ? inner : value, gen, provider);
                    }
                    gen.writeEndObject();
                    return;
                }
            }
            List<Member> members = new ArrayList<>(16);
            gather(value, provider, members);
            members.sort(BY_NAME);
            gen.writeStartObject(value);
            for (Member member : members) {
                write(member.writer(), member.owner(), gen, provider);
            }
            gen.writeEndObject();
        }

        /** The sorted plan for this class of flattened member, kept; null when that member flattens further. */
        private Member[] plan(Object value, Object inner, SerializerProvider provider) throws JsonMappingException {
            if (inner != null && provider.findValueSerializer(inner.getClass()) instanceof Merged) {
                return null;
            }
            List<Member> members = new ArrayList<>();
            gather(value, provider, members);
            members.sort(BY_NAME);
            Member[] plan = members.stream()
                    .map(member -> new Member(member.writer(), member.owner() == value ? OUTER : INNER))
                    .toArray(Member[]::new);
            plans.putIfAbsent(inner == null ? Void.class : inner.getClass(), plan);
            return plan;
        }

        private void gather(Object owner, SerializerProvider provider, List<Member> members)
                throws JsonMappingException {
            for (BeanPropertyWriter writer : writers) {
                if (!writer.isUnwrapping()) {
                    members.add(new Member(writer, owner));
                    continue;
                }
                Object inner = read(writer, owner, provider);
                if (inner == null) {
                    continue; // serde's flatten of a None: no members
                }
                JsonSerializer<Object> serializer = provider.findValueSerializer(inner.getClass());
                if (serializer instanceof Merged merged) {
                    merged.gather(inner, provider, members);
                } else if (serializer instanceof BeanSerializerBase flat) {
                    for (Iterator<PropertyWriter> it = flat.properties(); it.hasNext(); ) {
                        members.add(new Member((BeanPropertyWriter) it.next(), inner));
                    }
                } else {
                    throw JsonMappingException.from(
                            provider, "cannot flatten a " + inner.getClass().getSimpleName() + " into an object");
                }
            }
        }
    }
}
