package dev.caravan.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.caravan.common.web.FieldError;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code parameters.yaml}: named numeric parameters with bounds and a description. Read with SnakeYAML's safe
 * constructor (plain maps, lists and scalars only). A marketer's typed update changes only the {@code value:} lines,
 * so comments and layout stay as the ADMIN wrote them.
 */
public final class ParameterFile {

    public record Definition(String name, double value, double min, double max, String description) {
    }

    private static final Pattern NAME = Vocabulary.ID;

    private ParameterFile() {
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(RuleFiles.MAX_FILE_BYTES);
        return new Yaml(new SafeConstructor(options));
    }

    /** The definitions in file order; problems are added to {@code problems} with the file name. */
    public static Map<String, Definition> parse(String file, String text, List<RuleProblem> problems) {
        Map<String, Definition> out = new LinkedHashMap<>();
        Object root;
        try {
            root = yaml().load(text);
        } catch (RuntimeException e) {
            problems.add(new RuleProblem(file, yamlLine(e), "not valid YAML: " + RuleCompiler.message(e)));
            return out;
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("parameters") instanceof Map<?, ?> params)) {
            problems.add(new RuleProblem(file, 1, "expected a 'parameters:' map of name -> {value, min, max, description}"));
            return out;
        }
        for (Map.Entry<?, ?> e : params.entrySet()) {
            String name = String.valueOf(e.getKey());
            int line = lineOf(text, name);
            if (!NAME.matcher(name).matches()) {
                problems.add(new RuleProblem(file, line, "parameter name '" + name + "' must be kebab-case"));
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> def)) {
                problems.add(new RuleProblem(file, line, "parameter '" + name + "' must be a map with value, min, max"));
                continue;
            }
            Double value = number(def.get("value"));
            Double min = def.containsKey("min") ? number(def.get("min")) : Double.valueOf(-Double.MAX_VALUE);
            Double max = def.containsKey("max") ? number(def.get("max")) : Double.valueOf(Double.MAX_VALUE);
            if (value == null || min == null || max == null) {
                problems.add(new RuleProblem(file, line, "parameter '" + name + "': value, min and max must be numbers"));
                continue;
            }
            if (min > max || value < min || value > max) {
                problems.add(new RuleProblem(file, line, "parameter '" + name + "': value " + plain(value)
                        + " is outside " + plain(min) + ".." + plain(max)));
                continue;
            }
            Object d = def.get("description");
            out.put(name, new Definition(name, value, min, max, d == null ? "" : d.toString()));
        }
        return out;
    }

    /**
     * Validates typed new values against the definitions and returns the file text with them written in.
     * Throws {@link InvalidInputException} listing every rejected value; nothing from the input reaches the file
     * except numbers re-formatted by this method.
     */
    static String withValues(String text, Map<String, Definition> defs, Map<String, Object> values) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, BigDecimal> parsed = new LinkedHashMap<>();
        values.forEach((name, raw) -> {
            Definition def = defs.get(name);
            if (def == null) {
                errors.add(new FieldError("values." + name, "unknown parameter; known: " + defs.keySet()));
                return;
            }
            BigDecimal v = decimal(raw);
            if (v == null) {
                errors.add(new FieldError("values." + name, "must be a number, not '" + raw + "'"));
            } else if (v.doubleValue() < def.min() || v.doubleValue() > def.max()) {
                errors.add(new FieldError("values." + name, "must be between " + plain(def.min()) + " and "
                        + plain(def.max())));
            } else {
                parsed.put(name, v);
            }
        });
        if (!errors.isEmpty()) throw new InvalidInputException("some parameter values are invalid; nothing was changed", errors);
        String out = text;
        for (Map.Entry<String, BigDecimal> e : parsed.entrySet()) {
            out = replaceValue(out, e.getKey(), e.getValue().stripTrailingZeros().toPlainString());
        }
        return out;
    }

    private static String replaceValue(String text, String name, String value) {
        String[] lines = text.split("\n", -1);
        int start = -1, indent = -1;
        Pattern header = Pattern.compile("^(\\s*)" + Pattern.quote(name) + "\\s*:\\s*(#.*)?$");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = header.matcher(lines[i].replace("\r", ""));
            if (m.matches()) {
                start = i;
                indent = m.group(1).length();
                break;
            }
        }
        if (start >= 0) {
            Pattern valueLine = Pattern.compile("^(\\s+value\\s*:\\s*)([^#\\r]*?)(\\s*(#.*)?)(\\r?)$");
            for (int i = start + 1; i < lines.length; i++) {
                String l = lines[i];
                if (!l.isBlank() && leading(l) <= indent) break;
                Matcher m = valueLine.matcher(l);
                if (m.matches()) {
                    lines[i] = m.group(1) + value + m.group(3) + m.group(5);
                    return String.join("\n", lines);
                }
            }
        }
        throw new IllegalStateException("parameters.yaml has parameter '" + name + "' in a layout that typed edits "
                + "cannot change (expected 'name:' then an indented 'value:' line); an ADMIN can upload the file");
    }

    private static int leading(String l) {
        int n = 0;
        while (n < l.length() && l.charAt(n) == ' ') n++;
        return n;
    }

    private static Double number(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        return null;
    }

    private static BigDecimal decimal(Object raw) {
        if (raw instanceof Number n) {
            try {
                return new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (raw instanceof String s && s.trim().matches("^-?\\d{1,12}(\\.\\d{1,8})?$")) {
            return new BigDecimal(s.trim());
        }
        return null;
    }

    static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static int lineOf(String text, String name) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].trim().startsWith(name + ":")) return i + 1;
        }
        return 0;
    }

    static int yamlLine(Throwable e) {
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
            return m.getProblemMark().getLine() + 1;
        }
        return 0;
    }
}
