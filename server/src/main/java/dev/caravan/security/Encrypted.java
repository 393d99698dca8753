package dev.caravan.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.data.convert.ValueConverter;

/**
 * Marks a document property that holds personal data: it is stored encrypted ({@link EncryptedFieldConverter},
 * AES-256-GCM through {@link SecretBox}, bound to the field name) and read back transparently through the
 * MongoDB mapping (entity reads and writes, {@code Update} values, bulk operations, embedded documents).
 * <p>
 * Rules for such a field: never query on it (ciphertexts are randomised: use a blind index such as the identity
 * keys instead), never {@code $push}/{@code $addToSet} into it (replace the whole value with {@code $set}), and
 * never read it with raw driver calls expecting plaintext. Supported types: {@code String}, {@code LocalDate},
 * collections and maps of anything the mapping can store, embedded records.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ValueConverter(EncryptedFieldConverter.class)
public @interface Encrypted {
}
