package dev.caravan.rules;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes parameter values into DRL before compiling: {@code @{dormant-days}} becomes the number {@code 120}. The
 * constraints then compare against literals, which Drools indexes and compiles (much faster than joining every
 * customer with a parameters fact). Only validated numbers are ever written, and the text keeps its lines, so
 * compile errors still point at the right line. Rules may also read {@code $p.num("name")} from the Params fact.
 */
final class ParameterSubstitution {

    static final Pattern PLACEHOLDER = Pattern.compile("@\\{([a-z0-9]+(?:-[a-z0-9]+)*)}");

    private ParameterSubstitution() {
    }

    static SortedMap<String, byte[]> apply(Map<String, byte[]> files, Map<String, Double> values,
                                           List<RuleProblem> problems) {
        SortedMap<String, byte[]> out = new TreeMap<>(files);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            if (RuleFiles.kindOf(e.getKey()) != RuleFiles.Kind.DRL) continue;
            String text = RuleFiles.text(e.getValue());
            if (!text.contains("@{")) continue;
            StringBuilder sb = new StringBuilder();
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                Double v = values.get(m.group(1));
                if (v == null) {
                    problems.add(new RuleProblem(e.getKey(), lineOf(text, m.start()), "unknown parameter @{"
                            + m.group(1) + "}; parameters.yaml defines " + values.keySet()));
                    m.appendReplacement(sb, "0");
                } else {
                    m.appendReplacement(sb, literal(v));
                }
            }
            m.appendTail(sb);
            out.put(e.getKey(), sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static String literal(double v) {
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        String s = d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        return v < 0 ? "(" + s + ")" : s;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }
}
