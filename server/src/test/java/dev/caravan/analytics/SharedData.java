package dev.caravan.analytics;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** Locates the shared public datasets beside the repository ({@code ../shared} from the repo root); skips without. */
public final class SharedData {

    private SharedData() {
    }

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve(".git")) && Files.exists(dir.resolve("mvnw")))) {
            dir = dir.getParent();
        }
        return dir == null || dir.getParent() == null ? null : dir.getParent().resolve("shared");
    }

    /** The file under {@code shared/datasets}, or skips the calling test when it is absent. */
    public static Path dataset(String relative) {
        Path root = root();
        Path file = root == null ? null : root.resolve("datasets").resolve(relative);
        Assumptions.assumeTrue(file != null && Files.isRegularFile(file), "shared dataset " + relative + " not present");
        return file;
    }
}
