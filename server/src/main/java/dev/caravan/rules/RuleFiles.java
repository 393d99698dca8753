package dev.caravan.rules;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** What files a rule set may hold and what each kind is. */
public final class RuleFiles {

    public static final String PARAMETERS = "parameters.yaml";
    public static final int MAX_FILE_BYTES = 1 << 20;
    public static final int MAX_FILES = 200;
    private static final Pattern NAME = Pattern.compile("^([a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9._-]*$");

    public enum Kind { DRL, TABLE_CSV, TABLE_XLS, PARAMETERS, SCENARIOS_YAML, SCENARIOS_CSV }

    private RuleFiles() {
    }

    /** The kind of a file name, or an IllegalArgumentException saying which names are allowed. */
    public static Kind kindOf(String name) {
        if (name == null || name.length() > 200 || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid rule file name: use lowercase letters, "
                    + "digits, '-', '_' and '.', with '/' between folders");
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(PARAMETERS)) return Kind.PARAMETERS;
        if (n.startsWith("tests/")) {
            if (n.endsWith(".yaml") || n.endsWith(".yml")) return Kind.SCENARIOS_YAML;
            if (n.endsWith(".csv")) return Kind.SCENARIOS_CSV;
            throw new IllegalArgumentException("scenario tests under tests/ end in .yaml, .yml or .csv: '" + name + "'");
        }
        if (n.endsWith(".drl")) return Kind.DRL;
        if (n.endsWith(".drl.csv")) return Kind.TABLE_CSV;
        if (n.endsWith(".drl.xlsx") || n.endsWith(".drl.xls")) return Kind.TABLE_XLS;
        throw new IllegalArgumentException("'" + name + "' is not a rule file: rules end in .drl, decision tables in "
                + ".drl.csv, .drl.xlsx or .drl.xls (a plain .xlsx is ignored by Drools), scenario tests live under "
                + "tests/, parameters in parameters.yaml");
    }

    public static boolean isBinary(String name) {
        return kindOf(name) == Kind.TABLE_XLS;
    }

    public static boolean compiled(Kind kind) {
        return kind == Kind.DRL || kind == Kind.TABLE_CSV || kind == Kind.TABLE_XLS;
    }

    static String text(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
