package dev.caravan.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds files of the team's shared folder ({@code ../shared} beside the repository). A user's clone has none, so
 * tests that need it call {@link #require} which skips them when it is absent.
 */
public final class SharedData {

    private SharedData() {
    }

    public static Optional<Path> find(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null || dir.getParent() == null) return Optional.empty();
        Path file = dir.getParent().resolve("shared").resolve(relative);
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    /** The file, or the calling test is skipped (JUnit assumption) when the shared folder is not there. */
    public static Path require(String relative) {
        Optional<Path> file = find(relative);
        org.junit.jupiter.api.Assumptions.assumeTrue(file.isPresent(), "../shared/" + relative + " is not available");
        return file.get();
    }
}
