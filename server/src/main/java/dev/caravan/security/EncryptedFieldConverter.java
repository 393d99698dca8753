package dev.caravan.security;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.MongoClientSettings;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinarySubType;
import org.bson.BsonBinaryWriter;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.conversions.Bson;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Binary;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.convert.ConversionService;
import org.springframework.data.convert.PropertyValueConverter;
import org.springframework.data.core.TypeInformation;
import org.springframework.data.mongodb.core.convert.MongoConversionContext;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.stereotype.Component;

/**
 * The store form of {@link Encrypted} properties: a BSON binary (subtype {@value #SUBTYPE_HEX}, user defined; the
 * embedded store keeps only subtype 0, so values are recognised by their two magic bytes {@code 0xCA 0x01}) holding
 * the magic bytes and Tink's AES-256-GCM ciphertext (5-byte key-id prefix, nonce, ciphertext, tag) of the value,
 * with the field name as associated data (a ciphertext moved to another field does not open).
 * <p>
 * Plaintext layout before encryption: one tag byte, then {@code S} UTF-8 text; {@code L} a list of texts (count,
 * then length-prefixed UTF-8 each); {@code D} an ISO date; {@code B} a BSON document {@code {v: <value as the
 * mapping stores it>}} for everything else. Empty strings and empty collections are stored as they are (nothing to
 * hide, and no CPU spent). Values stored before encryption (plain strings, arrays, dates) are still read; the
 * privacy feature's re-encryption job seals them.
 */
@Component
public class EncryptedFieldConverter implements PropertyValueConverter<Object, Object, MongoConversionContext> {

    public static final byte SUBTYPE = BsonBinarySubType.USER_DEFINED.getValue();
    static final String SUBTYPE_HEX = "0x80";
    private static final DocumentCodec CODEC = new DocumentCodec(MongoClientSettings.getDefaultCodecRegistry());

    private final SecretBox box;
    private final ObjectProvider<MongoConverter> converter;
    private final Map<String, byte[]> associatedData = new ConcurrentHashMap<>();

    public EncryptedFieldConverter(SecretBox box, ObjectProvider<MongoConverter> converter) {
        this.box = box;
        this.converter = converter;
    }

    private static final byte MAGIC_0 = (byte) 0xCA;
    private static final byte MAGIC_1 = 0x01;

    /** Whether a stored value is one of ours (an encrypted field value). */
    public static boolean isEncrypted(Object stored) {
        byte[] b = stored instanceof Binary bin ? bin.getData() : stored instanceof byte[] raw ? raw : null;
        return b != null && b.length > 2 && b[0] == MAGIC_0 && b[1] == MAGIC_1;
    }

    /** The Tink ciphertext inside a stored value. */
    static byte[] ciphertext(Object stored) {
        byte[] b = stored instanceof Binary bin ? bin.getData() : (byte[]) stored;
        return java.util.Arrays.copyOfRange(b, 2, b.length);
    }

    static Binary stored(byte[] ciphertext) {
        byte[] b = new byte[ciphertext.length + 2];
        b[0] = MAGIC_0;
        b[1] = MAGIC_1;
        System.arraycopy(ciphertext, 0, b, 2, ciphertext.length);
        return new Binary(SUBTYPE, b);
    }

    /** The id of the key that sealed a stored value, or null. */
    public static Integer keyIdOf(Object stored) {
        return isEncrypted(stored) ? SecretBox.keyIdOf(ciphertext(stored)) : null;
    }

    /** The associated data of a field: encrypted values are bound to the name of the field that holds them. */
    public byte[] associatedData(String fieldName) {
        return associatedData.computeIfAbsent(fieldName, f -> ("caravan-field:" + f).getBytes(StandardCharsets.UTF_8));
    }

    /** Seals a stored value again under the current primary key (key rotation); other values pass unchanged. */
    public Object reseal(Object stored, String fieldName) {
        if (!isEncrypted(stored)) return stored;
        byte[] ct = ciphertext(stored);
        if (box.isCurrent(ct)) return stored;
        byte[] ad = associatedData(fieldName);
        return stored(box.encrypt(box.decrypt(ct, ad, fieldName), ad));
    }

    /** Whether a stored value needs sealing again: ours under an old key. */
    public boolean needsReseal(Object stored) {
        return isEncrypted(stored) && !box.isCurrent(ciphertext(stored));
    }

    /**
     * The text of a stored {@link Encrypted} {@code String} field read with raw driver calls: opened when encrypted,
     * as it is when stored before encryption. {@code fieldName} is the name of the field holding the value.
     */
    public String readText(Object stored, String fieldName) {
        if (stored == null) return null;
        if (!isEncrypted(stored)) return stored instanceof String s ? s : String.valueOf(stored);
        byte[] plain = box.decrypt(ciphertext(stored), associatedData(fieldName), fieldName);
        if (plain.length == 0 || plain[0] != 'S') {
            throw new SecretBox.SecretUnreadableException("the encrypted field " + fieldName + " holds no text");
        }
        return new String(plain, 1, plain.length - 1, StandardCharsets.UTF_8);
    }

    /**
     * The stored form of a text for an {@link Encrypted} {@code String} field written with raw driver calls (the
     * mapping layer's own form: {@link #readText} and the mapped entity read it back). Empty text stays as it is.
     */
    public Object writeText(String value, String fieldName) {
        if (value == null || value.isEmpty()) return value;
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        byte[] plain = ByteBuffer.allocate(b.length + 1).put((byte) 'S').put(b).array();
        return stored(box.encrypt(plain, associatedData(fieldName)));
    }

    @Override
    public Object write(Object value, MongoConversionContext context) {
        if (value == null) return null;
        if (value instanceof String s && s.isEmpty() || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty()) {
            return context.write(value, context.getProperty().getTypeInformation());
        }
        if (isEncrypted(value)) return value; // already sealed (e.g. a raw value passed through again)
        byte[] plain = encode(value, context);
        return stored(box.encrypt(plain, associatedData(context.getProperty().getFieldName())));
    }

    @Override
    public Object read(Object stored, MongoConversionContext context) {
        if (stored == null) return null;
        if (isEncrypted(stored)) {
            String field = context.getProperty().getFieldName();
            byte[] plain = box.decrypt(ciphertext(stored), associatedData(field), field);
            return decode(plain, context);
        }
        return toDomain(stored, context.getProperty().getTypeInformation()); // stored before encryption
    }

    private byte[] encode(Object value, MongoConversionContext context) {
        try {
            if (value instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                return ByteBuffer.allocate(b.length + 1).put((byte) 'S').put(b).array();
            }
            if (value instanceof LocalDate d) {
                byte[] b = d.toString().getBytes(StandardCharsets.US_ASCII);
                return ByteBuffer.allocate(b.length + 1).put((byte) 'D').put(b).array();
            }
            if (value instanceof List<?> list && allStrings(list)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeByte('L');
                out.writeInt(list.size());
                for (Object o : list) {
                    byte[] b = ((String) o).getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
                return bytes.toByteArray();
            }
            Object mongo = context.write(value, context.getProperty().getTypeInformation());
            BasicOutputBuffer buffer = new BasicOutputBuffer(256);
            buffer.writeByte('B');
            try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
                CODEC.encode(writer, new Document("v", mongo), EncoderContext.builder().build());
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object decode(byte[] plain, MongoConversionContext context) {
        TypeInformation<?> type = context.getProperty().getTypeInformation();
        switch (plain[0]) {
            case 'S':
                return new String(plain, 1, plain.length - 1, StandardCharsets.UTF_8);
            case 'D':
                return LocalDate.parse(new String(plain, 1, plain.length - 1, StandardCharsets.US_ASCII));
            case 'L':
                try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plain, 1, plain.length - 1))) {
                    int n = in.readInt();
                    List<String> out = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        byte[] b = new byte[in.readInt()];
                        in.readFully(b);
                        out.add(new String(b, StandardCharsets.UTF_8));
                    }
                    return Set.class.isAssignableFrom(type.getType()) ? new LinkedHashSet<>(out) : out;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            case 'B':
                Document d;
                try (BsonBinaryReader reader = new BsonBinaryReader(ByteBuffer.wrap(plain, 1, plain.length - 1).slice())) {
                    d = CODEC.decode(reader, DecoderContext.builder().build());
                }
                return toDomain(d.get("v"), type);
            default:
                throw new SecretBox.SecretUnreadableException("an encrypted field has an unknown layout ("
                        + context.getProperty().getFieldName() + ")");
        }
    }

    /** A value in store form (string, array, embedded document, date...) as the property's type. */
    private Object toDomain(Object v, TypeInformation<?> type) {
        if (v == null) return null;
        MongoConverter mongo = converter.getObject();
        if (type.isCollectionLike() && v instanceof Collection<?> items) {
            TypeInformation<?> component = type.getComponentType();
            Collection<Object> out = Set.class.isAssignableFrom(type.getType()) ? new LinkedHashSet<>()
                    : new ArrayList<>(items.size());
            for (Object item : items) out.add(component == null ? item : toDomain(item, component));
            return out;
        }
        if (v instanceof Bson bson) {
            return mongo.read(type.getType(), bson);
        }
        Class<?> target = type.getType();
        if (target.isInstance(v)) return v;
        ConversionService conversions = mongo.getConversionService();
        return conversions.convert(v, target);
    }

    private static boolean allStrings(List<?> list) {
        for (Object o : list) if (!(o instanceof String)) return false;
        return true;
    }
}
