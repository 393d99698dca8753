package dev.caravan.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.crypto.tink.subtle.Hkdf;
import dev.caravan.common.CaravanProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keyed hashes (HMAC-SHA256, truncated to 160 bits) of normalised identifiers: the blind indexes through which
 * encrypted contact data can still be found by exact value (identity keys, name words, suppressed addresses,
 * erasure tombstones). Without the key nobody can test a guessed e-mail against the store.
 * <p>
 * The key must stay the same for the life of the data: every stored index value depends on it. Source, in order:
 * {@code caravan.secrets.index-key}; else derived (HKDF) from {@code caravan.secrets.key} when that is a raw 32-byte key
 * (a Tink keyset there requires an explicit index key, as keysets change on rotation); else a random key kept in
 * {@code <data-dir>/secrets/index-key}, generated on first start.
 */
@Component
public class BlindIndex {

    private static final Logger log = LoggerFactory.getLogger(BlindIndex.class);
    /** Characters of a hash as stored: base64url of 20 bytes. */
    public static final int LENGTH = 27;

    private final byte[] key;
    private final String keyId;
    private final ThreadLocal<Mac> macs;

    public BlindIndex(SecretBoxProperties props, CaravanProperties caravan) {
        this.key = key(props, caravan);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        this.keyId = HexFormat.of().formatHex(Arrays.copyOf(mac("caravan-index-key-id"), 4));
    }

    /** The keyed hash of a value, 27 URL-safe characters. */
    public String hash(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac(value), 20));
    }

    /** Whether a string has the shape of a {@link #hash} (27 base64url characters). */
    public static boolean looksHashed(String s) {
        if (s == null || s.length() != LENGTH) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** A short, non-secret fingerprint of the key (to notice that it changed). */
    public String keyId() {
        return keyId;
    }

    private byte[] mac(String value) {
        return macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] key(SecretBoxProperties props, CaravanProperties caravan) {
        if (props.indexKey() != null && !props.indexKey().isBlank()) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(props.indexKey().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("caravan.secrets.index-key is not base64");
            }
            if (raw.length < 32) {
                throw new IllegalStateException("caravan.secrets.index-key must be at least 32 bytes (base64 of 32 "
                        + "random bytes), got " + raw.length);
            }
            return raw;
        }
        if (props.key() != null && !props.key().isBlank()) {
            if (props.key().trim().startsWith("{")) {
                // a keyset changes with every rotation; the index key must not
                throw new IllegalStateException("caravan.secrets.key holds a Tink keyset: set caravan.secrets.index-key "
                        + "(CARAVAN_SECRETS_INDEX_KEY, base64 of 32 random bytes) too, and never change it");
            }
            try {
                return Hkdf.computeHkdf("HMACSHA256", props.key().trim().getBytes(StandardCharsets.UTF_8),
                        "caravan".getBytes(StandardCharsets.US_ASCII),
                        "caravan blind index v1".getBytes(StandardCharsets.US_ASCII), 32);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        Path file = caravan.resolve("secrets/index-key");
        try {
            if (Files.isRegularFile(file)) {
                byte[] raw = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
                if (raw.length < 32) throw new IllegalStateException("the blind-index key in " + file + " is too short");
                return raw;
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "index-key", ".tmp");
            SecretBox.ownerOnly(tmp);
            Files.writeString(tmp, Base64.getEncoder().encodeToString(raw), StandardCharsets.US_ASCII);
            try {
                // never replace a key another process created meanwhile
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
                return key(props, caravan);
            }
            log.warn("Generated the blind-index key at {}: back it up with the data directory, or set "
                    + "CARAVAN_SECRETS_INDEX_KEY", file);
            return raw;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the blind-index key " + file, e);
        }
    }
}
