package dev.caravan.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The permission matrix as written in docs/SECURITY.md, section "## Roles and permissions": one table row per
 * operation, {@code | `METHOD /path` | ADMIN | MARKETER | ANALYST | SUPPORT | INGEST | notes |} with ✓ where the
 * role may call it, or {@code public} in the ADMIN column for unauthenticated endpoints (webhooks, unsubscribe).
 */
final class PermissionMatrix {

    static final List<Role> COLUMNS = List.of(Role.ADMIN, Role.MARKETER, Role.ANALYST, Role.SUPPORT, Role.INGEST);
    static final String SECTION = "## Roles and permissions";
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(GET|POST|PUT|PATCH|DELETE) (/\\S*)`\\s*\\|(.*)$");

    /** Allowed roles of an operation; {@code publicEndpoint} when no login is needed. */
    record Entry(String operation, Set<Role> allowed, boolean publicEndpoint) {
    }

    private PermissionMatrix() {
    }

    static Path document() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
        return dir.resolve("docs").resolve("SECURITY.md");
    }

    static Map<String, Entry> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(document());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) inSection = line.trim().equals(SECTION);
            if (!inSection) continue;
            Matcher m = ROW.matcher(line.trim());
            if (!m.matches()) continue;
            String op = m.group(1) + " " + m.group(2);
            String[] cells = m.group(3).split("\\|", -1);
            if (cells.length < COLUMNS.size()) throw new IllegalStateException("matrix row has too few columns: " + line);
            boolean pub = cells[0].trim().equalsIgnoreCase("public");
            Set<Role> allowed = EnumSet.noneOf(Role.class);
            for (int i = 0; i < COLUMNS.size() && !pub; i++) {
                String c = cells[i].trim();
                if (c.equals("✓")) allowed.add(COLUMNS.get(i));
                else if (!c.isEmpty()) throw new IllegalStateException("matrix cell must be ✓ or empty, not '" + c + "': " + line);
            }
            if (out.put(op, new Entry(op, allowed, pub)) != null) {
                throw new IllegalStateException("operation listed twice in the matrix: " + op);
            }
        }
        if (out.isEmpty()) throw new IllegalStateException("no matrix rows under '" + SECTION + "' in " + document());
        return out;
    }
}
