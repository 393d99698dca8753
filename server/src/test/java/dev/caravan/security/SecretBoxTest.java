package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import dev.caravan.common.CaravanProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    @TempDir
    Path dir;

    CaravanProperties caravan() {
        return new CaravanProperties(dir, false, null);
    }

    @Test
    void sealsAndOpensBoundToTheirContext() {
        SecretBox box = new SecretBox(new SecretBoxProperties(null, null), caravan());
        String sealed = box.seal("refresh-token-123", "connection:1:credentials");
        assertThat(sealed).doesNotContain("refresh-token-123");
        assertThat(box.seal("refresh-token-123", "connection:1:credentials")).isNotEqualTo(sealed); // random nonce
        assertThat(box.open(sealed, "connection:1:credentials")).isEqualTo("refresh-token-123");
        assertThatThrownBy(() -> box.open(sealed, "connection:2:credentials"))
                .isInstanceOf(SecretBox.SecretUnreadableException.class);
    }

    @Test
    void generatesAKeysetOnFirstStartAndReusesIt() {
        SecretBox first = new SecretBox(new SecretBoxProperties(null, null), caravan());
        String sealed = first.seal("v", "c");
        assertThat(Files.isRegularFile(dir.resolve("secrets/keyset.json"))).isTrue();
        SecretBox again = new SecretBox(new SecretBoxProperties(null, null), caravan());
        assertThat(again.open(sealed, "c")).isEqualTo("v");
    }

    @Test
    void usesAKeyFromTheEnvironmentAndRejectsAnotherKey() {
        byte[] raw = new byte[32];
        raw[0] = 7;
        String key = Base64.getEncoder().encodeToString(raw);
        SecretBox box = new SecretBox(new SecretBoxProperties(key, null), caravan());
        String sealed = box.seal("v", "c");
        assertThat(new SecretBox(new SecretBoxProperties(key, null), caravan()).open(sealed, "c")).isEqualTo("v");
        assertThat(Files.exists(dir.resolve("secrets/keyset.json"))).isFalse();
        SecretBox other = new SecretBox(new SecretBoxProperties(null, null), caravan());
        assertThatThrownBy(() -> other.open(sealed, "c")).isInstanceOf(SecretBox.SecretUnreadableException.class);
        assertThatThrownBy(() -> new SecretBox(new SecretBoxProperties("c2hvcnQ=", null), caravan()))
                .hasMessageContaining("32 bytes");
    }
}
