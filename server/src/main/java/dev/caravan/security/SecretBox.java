package dev.caravan.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
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
 * Tink keysets carry key ids, so a keyset with a new primary key still opens values sealed under older keys.
 */
@Component
public class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);

    private final Aead aead;

    public SecretBox(SecretBoxProperties props, CaravanProperties caravan) {
        try {
            AeadConfig.register();
            KeysetHandle keyset = keyset(props, caravan);
            this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up secret encryption: " + e.getMessage(), e);
        }
    }

    public byte[] encrypt(byte[] plaintext, String context) {
        try {
            return aead.encrypt(plaintext, context.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Throws {@link SecretUnreadableException} for a wrong key, a changed value or another context. */
    public byte[] decrypt(byte[] ciphertext, String context) {
        try {
            return aead.decrypt(ciphertext, context.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new SecretUnreadableException("a stored secret cannot be decrypted (" + context
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

    public static final class SecretUnreadableException extends RuntimeException {
        public SecretUnreadableException(String message) {
            super(message);
        }
    }

    private static KeysetHandle keyset(SecretBoxProperties props, CaravanProperties caravan)
            throws GeneralSecurityException {
        String key = props.key();
        if (key != null && !key.isBlank()) {
            String k = key.trim();
            if (k.startsWith("{")) {
                return TinkJsonProtoKeysetFormat.parseKeyset(k, InsecureSecretKeyAccess.get());
            }
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
            AesGcmParameters params = AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12)
                    .setTagSizeBytes(16).setVariant(AesGcmParameters.Variant.NO_PREFIX).build();
            AesGcmKey aesKey = AesGcmKey.builder().setParameters(params)
                    .setKeyBytes(SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get())).build();
            return KeysetHandle.newBuilder().addEntry(KeysetHandle.importKey(aesKey).withRandomId().makePrimary())
                    .build();
        }
        Path file = props.keysetFile() != null && !props.keysetFile().isBlank()
                ? Path.of(props.keysetFile()).toAbsolutePath() : caravan.resolve("secrets/keyset.json");
        try {
            if (Files.isRegularFile(file)) {
                return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file, StandardCharsets.UTF_8),
                        InsecureSecretKeyAccess.get());
            }
            KeysetHandle generated = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "keyset", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(tmp, TinkJsonProtoKeysetFormat.serializeKeyset(generated, InsecureSecretKeyAccess.get()),
                    StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            log.warn("Generated a new key for stored secrets at {}: back it up with the data directory, or set "
                    + "CARAVAN_SECRETS_KEY", file);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets keyset " + file, e);
        }
    }

}
