package dev.caravan.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.caravan.common.CaravanProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keyed hashes (HMAC-SHA256) of identity keys for erasure tombstones: the store keeps only the hash, so a copy of the
 * database does not reveal who was erased, and without the key nobody can test a guessed e-mail against it.
 */
@Component
class TombstoneHasher {

    private static final Logger log = LoggerFactory.getLogger(TombstoneHasher.class);

    private final SecretKeySpec key;

    TombstoneHasher(PrivacyProperties props, CaravanProperties caravan) {
        this.key = new SecretKeySpec(keyBytes(props, caravan), "HmacSHA256");
    }

    /** Hex HMAC of a normalised identity key such as {@code email:ann@example.com}. */
    String hash(String identityKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(identityKey.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static byte[] keyBytes(PrivacyProperties props, CaravanProperties caravan) {
        if (props.tombstoneKey() != null && !props.tombstoneKey().isBlank()) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(props.tombstoneKey().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("caravan.privacy.tombstone-key must be base64");
            }
            if (raw.length < 32) {
                throw new IllegalStateException("caravan.privacy.tombstone-key must be at least 32 bytes, got " + raw.length);
            }
            return raw;
        }
        Path file = caravan.resolve("secrets/tombstone.key");
        try {
            if (Files.isRegularFile(file)) {
                return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.UTF_8).trim());
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "tombstone", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(raw), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            log.warn("Generated the erasure tombstone key at {}: back it up with the data directory, or set "
                    + "CARAVAN_PRIVACY_TOMBSTONE_KEY", file);
            return raw;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the tombstone key " + file, e);
        }
    }
}
