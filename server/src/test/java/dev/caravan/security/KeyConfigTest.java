package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import dev.caravan.common.CaravanProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where keys come from, what rotation does to the keyset file, and that the blind-index key stays put. */
class KeyConfigTest {

    @TempDir
    Path dir;

    CaravanProperties caravan() {
        return new CaravanProperties(dir, false, null);
    }

    static String randomKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void aGeneratedKeysetRotatesOldValuesStayReadableAndOtherServersSeeTheNewKey() throws Exception {
        SecretBox box = new SecretBox(new SecretBoxProperties(null, null), caravan());
        assertThat(box.source()).isEqualTo(SecretBox.Source.FILE);
        assertThat(Files.readString(dir.resolve("secrets/keyset.json"))).contains("primaryKeyId");
        String old = box.seal("secret", "ctx");
        int first = box.primaryKeyId();

        SecretBox otherServer = new SecretBox(new SecretBoxProperties(null, null), caravan());
        int second = box.rotate();
        assertThat(second).isNotEqualTo(first);
        assertThat(box.keyIds()).containsExactlyInAnyOrder(first, second);
        assertThat(box.isCurrent(old)).isFalse();
        String resealed = box.reseal(old, "ctx");
        assertThat(box.isCurrent(resealed)).isTrue();
        assertThat(box.open(old, "ctx")).isEqualTo("secret");
        // a server that shares the data directory opens values under the new key (it re-reads the keyset file)
        assertThat(otherServer.open(resealed, "ctx")).isEqualTo("secret");
        assertThat(new SecretBox(new SecretBoxProperties(null, null), caravan()).primaryKeyId()).isEqualTo(second);
    }

    @Test
    void aKeyFromTheEnvironmentIsNotRotatedInPlaceAndDerivesAStableIndexKey() {
        String key = randomKey();
        SecretBox box = new SecretBox(new SecretBoxProperties(key, null), caravan());
        assertThat(box.canRotate()).isFalse();
        assertThatThrownBy(box::rotate).isInstanceOf(IllegalStateException.class);
        assertThat(Files.exists(dir.resolve("secrets/keyset.json"))).isFalse();
        // same key, same id and same blind index on every server
        SecretBox again = new SecretBox(new SecretBoxProperties(key, null), caravan());
        assertThat(again.primaryKeyId()).isEqualTo(box.primaryKeyId());
        assertThat(again.open(box.seal("x", "c"), "c")).isEqualTo("x");
        BlindIndex a = new BlindIndex(new SecretBoxProperties(key, null), caravan());
        BlindIndex b = new BlindIndex(new SecretBoxProperties(key, null), caravan());
        assertThat(a.hash("email:ann@example.com")).isEqualTo(b.hash("email:ann@example.com")).hasSize(BlindIndex.LENGTH)
                .doesNotContain("ann");
        assertThat(BlindIndex.looksHashed(a.hash("x"))).isTrue();
        assertThat(new BlindIndex(new SecretBoxProperties(randomKey(), null), caravan()).hash("email:ann@example.com"))
                .isNotEqualTo(a.hash("email:ann@example.com"));
    }

    @Test
    void aKeysetInTheEnvironmentNeedsAnExplicitIndexKeyAndAGeneratedIndexKeyIsKept() {
        assertThatThrownBy(() -> new BlindIndex(new SecretBoxProperties("{\"primaryKeyId\":1}", null), caravan()))
                .hasMessageContaining("index-key");
        String indexKey = randomKey();
        assertThat(new BlindIndex(new SecretBoxProperties("{\"primaryKeyId\":1}", null, indexKey), caravan()).hash("v"))
                .isEqualTo(new BlindIndex(new SecretBoxProperties(null, null, indexKey), caravan()).hash("v"));
        BlindIndex generated = new BlindIndex(new SecretBoxProperties(null, null), caravan());
        assertThat(Files.exists(dir.resolve("secrets/index-key"))).isTrue();
        assertThat(new BlindIndex(new SecretBoxProperties(null, null), caravan()).hash("v")).isEqualTo(generated.hash("v"));
    }
}
