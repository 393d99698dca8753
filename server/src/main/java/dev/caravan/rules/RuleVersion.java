package dev.caravan.rules;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * An immutable version of the whole rule set: every file, who made it and why, and how it differs from the version
 * it was based on. Versions are numbered 1, 2, 3...; which one is active is kept in {@link ActiveVersion}.
 */
@Document("rule_versions")
public record RuleVersion(@Id long version, List<StoredFile> files, String author, String comment, Instant createdAt,
                          Long basedOn, List<FileChange> changes) {

    /** A file's text, or for spreadsheets its bytes. */
    public record StoredFile(String name, String text, byte[] binary) {
        byte[] bytes() {
            return binary != null ? binary : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** {@code added}, {@code modified} or {@code removed}, with a unified diff for text files. */
    public record FileChange(String name, String change, String diff) {
    }
}
