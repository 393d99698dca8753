package dev.caravan.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.util.SecretBytes;
import dev.caravan.common.CaravanProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Encrypts small secrets and personal fields for storage with Google Tink's AEAD (AES-256-GCM). Each value is
 * bound to a context string (associated data, e.g. {@code connection:42:credentials}), so a ciphertext copied
 * to another record does not decrypt there. Sealed values are base64 text, safe to keep in documents.
 * <p>
 * Keys: a Tink keyset. New values carry Tink's 5-byte prefix with the id of the key that sealed them
 * ({@link #keyIdOf(byte[])}); a keyset with a new primary key still opens values sealed under older keys, and
 * {@link #rotate()} adds such a key (when the keyset lives in the data directory). With a raw 32-byte key from
 * {@code CARAVAN_SECRETS_KEY} the keyset holds that one key twice: prefixed (with an id derived from the key, the
 * same on every server) for new values, and unprefixed for values sealed before key ids were stored.
 * <p>
 * A keyset file changed by another server (a shared data directory) is read again when a value sealed under an
 * unknown key arrives.
 */
@Component
public class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    /** Tink's prefix of values sealed by a key with output prefix TINK: 0x01, then the key id (big-endian). */
    private static final byte TINK_START_BYTE = 0x01;

    /** Where the keyset came from. */
    public enum Source { ENVIRONMENT_KEY, ENVIRONMENT_KEYSET, FILE }

    private final Source source;
    private final Path file;
    private volatile KeysetHandle keyset;
    private volatile Aead aead;
    /** The keyset text last loaded or written: a change of the file is a change of its content (not its mtime,
     * which a quick rewrite may leave equal). */
    private volatile String loadedText;

    public SecretBox(SecretBoxProperties props, CaravanProperties caravan) {
        try {
            AeadConfig.register();
            String key = props.key();
            if (key != null && !key.isBlank()) {
                String k = key.trim();
                this.file = null;
                if (k.startsWith("{")) {
                    this.source = Source.ENVIRONMENT_KEYSET;
                    use(TinkJsonProtoKeysetFormat.parseKeyset(k, InsecureSecretKeyAccess.get()));
                } else {
                    this.source = Source.ENVIRONMENT_KEY;
                    use(fromRawKey(k));
                }
            } else {
                this.source = Source.FILE;
                this.file = props.keysetFile() != null && !props.keysetFile().isBlank()
                        ? Path.of(props.keysetFile()).toAbsolutePath() : caravan.resolve("secrets/keyset.json");
                use(loadOrCreate(file));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up secret encryption: " + e.getMessage(), e);
        }
    }

    public byte[] encrypt(byte[] plaintext, String context) {
        return encrypt(plaintext, context.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        try {
            return aead.encrypt(plaintext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Throws {@link SecretUnreadableException} for a wrong key, a changed value or another context. */
    public byte[] decrypt(byte[] ciphertext, String context) {
        return decrypt(ciphertext, context.getBytes(StandardCharsets.UTF_8), context);
    }

    public byte[] decrypt(byte[] ciphertext, byte[] associatedData, String contextForMessages) {
        try {
            return aead.decrypt(ciphertext, associatedData);
        } catch (GeneralSecurityException e) {
            Integer id = keyIdOf(ciphertext);
            if (id != null && !keyIds().contains(id) && reloadIfChanged()) {
                try {
                    return aead.decrypt(ciphertext, associatedData);
                } catch (GeneralSecurityException again) {
                    // fall through
                }
            }
            throw new SecretUnreadableException("a stored secret cannot be decrypted (" + contextForMessages
                    + "): wrong key, or the value was changed or moved");
        }
    }

    /** Encrypts text to base64; null stays null. */
    public String seal(String plaintext, String context) {
        if (plaintext == null) return null;
        return Base64.getEncoder().encodeToString(encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context));
    }

    public String open(String sealed, String context) {
        if (sealed == null) return null;
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new SecretUnreadableException("a stored secret is not base64 (" + context + ")");
        }
        return new String(decrypt(bytes, context), StandardCharsets.UTF_8);
    }

    /** Whether a {@link #seal sealed} text is sealed under the current primary key. */
    public boolean isCurrent(String sealed) {
        try {
            return sealed == null || isCurrent(Base64.getDecoder().decode(sealed));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A {@link #seal sealed} text sealed again under the current primary key (the same text when it already is). */
    public String reseal(String sealed, String context) {
        if (sealed == null || isCurrent(sealed)) return sealed;
        return seal(open(sealed, context), context);
    }

    /** The id of the key that sealed this ciphertext, or null when it carries none (sealed before key ids). */
    public static Integer keyIdOf(byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length < 5 || ciphertext[0] != TINK_START_BYTE) return null;
        return ByteBuffer.wrap(ciphertext, 1, 4).getInt();
    }

    /** Whether this ciphertext was sealed by the current primary key (else it should be sealed again). */
    public boolean isCurrent(byte[] ciphertext) {
        Integer id = keyIdOf(ciphertext);
        return id != null && id == primaryKeyId();
    }

    public int primaryKeyId() {
        return keyset.getPrimary().getId();
    }

    public List<Integer> keyIds() {
        KeysetHandle k = keyset;
        List<Integer> ids = new ArrayList<>(k.size());
        for (int i = 0; i < k.size(); i++) ids.add(k.getAt(i).getId());
        return ids;
    }

    public Source source() {
        return source;
    }

    /** Whether {@link #rotate()} can add a key here (the keyset is the server's own file). */
    public boolean canRotate() {
        return source == Source.FILE;
    }

    /**
     * Adds a new AES-256-GCM key and makes it the primary: new values are sealed with it, older ones still open.
     * Only for a keyset file in the data directory; a key from the environment is rotated by deploying a keyset
     * with a new primary key. Re-sealing stored values is separate (see the privacy feature's key rotation job).
     *
     * @return the new primary key id
     */
    public synchronized int rotate() {
        if (!canRotate()) {
            throw new IllegalStateException("the key comes from CARAVAN_SECRETS_KEY: deploy a Tink keyset with a new "
                    + "primary key there (keeping the old keys), then re-encrypt");
        }
        try {
            reloadIfChanged();
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
            builder.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                    .withRandomId().makePrimary());
            KeysetHandle rotated = builder.build();
            write(file, rotated);
            use(rotated);
            loadedText = readText(file);
            log.warn("Added a new primary key {} to the secrets keyset {}: back it up with the data directory",
                    Integer.toUnsignedString(rotated.getPrimary().getId()), file);
            return rotated.getPrimary().getId();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rotate the secrets key: " + e.getMessage(), e);
        }
    }

    /** Reads the keyset file again if another process changed it; true when it did. */
    public synchronized boolean reloadIfChanged() {
        if (source != Source.FILE) return false;
        String text = readText(file);
        if (text == null || text.equals(loadedText)) return false;
        try {
            use(TinkJsonProtoKeysetFormat.parseKeyset(text, InsecureSecretKeyAccess.get()));
            loadedText = text;
            return true;
        } catch (GeneralSecurityException e) {
            log.warn("The secrets keyset {} changed but cannot be read: {}", file, e.getMessage());
            return false;
        }
    }

    private void use(KeysetHandle handle) throws GeneralSecurityException {
        Aead primitive = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        this.keyset = handle;
        this.aead = primitive;
    }

    public static final class SecretUnreadableException extends RuntimeException {
        public SecretUnreadableException(String message) {
            super(message);
        }
    }

    /**
     * One 32-byte key as a keyset: prefixed (an id derived from the key, so every server agrees) as the primary,
     * and unprefixed for values sealed before key ids were stored.
     */
    private static KeysetHandle fromRawKey(String k) throws GeneralSecurityException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(k);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("caravan.secrets.key is neither base64 nor a Tink JSON keyset");
        }
        if (raw.length != 32) {
            throw new GeneralSecurityException("caravan.secrets.key must be 32 bytes (base64 of 32 random bytes), got "
                    + raw.length);
        }
        AesGcmKey legacy = AesGcmKey.builder().setParameters(params(AesGcmParameters.Variant.NO_PREFIX))
                .setKeyBytes(SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get())).build();
        int id = derivedId(raw);
        AesGcmKey prefixed = AesGcmKey.builder().setParameters(params(AesGcmParameters.Variant.TINK))
                .setKeyBytes(SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get())).setIdRequirement(id).build();
        return KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.importKey(prefixed).withFixedId(id).makePrimary())
                .addEntry(KeysetHandle.importKey(legacy).withFixedId(id == Integer.MAX_VALUE ? 1 : id + 1)
                        .setStatus(KeyStatus.ENABLED))
                .build();
    }

    private static AesGcmParameters params(AesGcmParameters.Variant variant) throws GeneralSecurityException {
        return AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12).setTagSizeBytes(16)
                .setVariant(variant).build();
    }

    private static int derivedId(byte[] raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("caravan-key-id".getBytes(StandardCharsets.US_ASCII));
            int id = ByteBuffer.wrap(sha.digest(raw)).getInt();
            return id == 0 ? 1 : id;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private KeysetHandle loadOrCreate(Path file) throws GeneralSecurityException {
        try {
            if (Files.isRegularFile(file)) {
                loadedText = Files.readString(file, StandardCharsets.UTF_8);
                return TinkJsonProtoKeysetFormat.parseKeyset(loadedText, InsecureSecretKeyAccess.get());
            }
            KeysetHandle generated = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            write(file, generated);
            loadedText = readText(file);
            log.warn("Generated a new key for stored secrets at {}: back it up with the data directory, or set "
                    + "CARAVAN_SECRETS_KEY", file);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets keyset " + file, e);
        }
    }

    static void write(Path file, KeysetHandle keyset) throws GeneralSecurityException {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "keyset", ".tmp");
            ownerOnly(tmp);
            Files.writeString(tmp, TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()),
                    StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the secrets keyset " + file, e);
        }
    }

    static void ownerOnly(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    private static String readText(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
