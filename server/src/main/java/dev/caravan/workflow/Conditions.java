package dev.caravan.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway conditions marketers may write: comparisons of process variables with literals (or other variables),
 * combined with {@code && || !} and parentheses, e.g. {@code tier == "core" && orderCount > 1}. They are rewritten
 * into null-safe FEEL for the engine (a null check before numeric comparisons): the embedded engine evaluates FEEL
 * without compiling anything, while MVEL needs a rule session it does not have.
 */
final class Conditions {

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(\"(?:[^\"\\\\]|\\\\.)*\")|('(?:[^'\\\\]|\\\\.)*')|(-?\\d+(?:\\.\\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\\|\\||[<>!()]|;))");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<String> LITERALS = Set.of("true", "false", "null");

    private record Token(String text, char kind) { // s string, n number, i identifier, l literal keyword, o operator
    }

    private Conditions() {
    }

    /** Null when the condition is simple, else why not. */
    static String whyNotSimple(String text, Set<String> variables) {
        try {
            List<Token> tokens = tokens(text);
            for (Token t : tokens) {
                if (t.kind() == 'i' && !variables.contains(t.text())) return "'" + t.text() + "' is not a process variable";
            }
            return tokens.isEmpty() ? "empty" : null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The FEEL expression for a simple condition (null-safe: a comparison with a missing value is false). */
    static String toFeel(String text) {
        List<Token> t = tokens(text);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < t.size()) {
            Token tok = t.get(i);
            if (i + 2 < t.size() && operand(tok) && COMPARISONS.contains(t.get(i + 1).text()) && operand(t.get(i + 2))) {
                out.append(compare(tok, t.get(i + 1).text(), t.get(i + 2)));
                i += 3;
            } else if (tok.kind() == 'i') {
                out.append("(").append(tok.text()).append(" = true)");
                i++;
            } else if (tok.text().equals("!")) {
                if (i + 1 < t.size() && t.get(i + 1).kind() == 'i') {
                    out.append("not(").append(t.get(i + 1).text()).append(" = true)");
                    i += 2;
                } else {
                    out.append("not");
                    i++;
                }
            } else {
                String op = switch (tok.text()) {
                    case "&&" -> " and ";
                    case "||" -> " or ";
                    default -> tok.text();
                };
                out.append(op);
                i++;
            }
        }
        return out.toString();
    }

    private static String compare(Token a, String op, Token b) {
        if (a.kind() != 'i' && b.kind() == 'i') return compare(b, flip(op), a);
        String left = a.text();
        String right = feel(b);
        if (op.equals("==")) return "(" + left + " = " + right + ")";
        if (op.equals("!=")) return "(" + left + " != " + right + ")";
        String guard = b.kind() == 'i' ? left + " != null and " + b.text() + " != null" : left + " != null";
        return "(" + guard + " and " + left + " " + op + " " + right + ")";
    }

    private static String feel(Token t) {
        if (t.kind() == 's') {
            String body = t.text().substring(1, t.text().length() - 1);
            if (t.text().startsWith("'")) body = body.replace("\\'", "'").replace("\"", "\\\"");
            return "\"" + body + "\"";
        }
        return t.text();
    }

    private static String flip(String op) {
        return switch (op) {
            case "<" -> ">";
            case ">" -> "<";
            case "<=" -> ">=";
            case ">=" -> "<=";
            default -> op;
        };
    }

    private static boolean operand(Token t) {
        return t.kind() == 's' || t.kind() == 'n' || t.kind() == 'i' || t.kind() == 'l';
    }

    private static List<Token> tokens(String text) {
        String s = text.trim();
        if (s.startsWith("return ")) s = s.substring(7);
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        int pos = 0;
        while (pos < s.length()) {
            if (s.substring(pos).isBlank()) break;
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("unexpected '" + s.substring(pos).trim().charAt(0) + "'");
            }
            if (m.group(1) != null || m.group(2) != null) out.add(new Token(m.group(1) != null ? m.group(1) : m.group(2), 's'));
            else if (m.group(3) != null) out.add(new Token(m.group(3), 'n'));
            else if (m.group(4) != null) {
                String w = m.group(4);
                if (w.equals("return")) throw new IllegalArgumentException("'return' only at the start");
                out.add(new Token(w, LITERALS.contains(w) ? 'l' : 'i'));
            } else if (!m.group(5).equals(";")) out.add(new Token(m.group(5), 'o'));
            pos = m.end();
        }
        return out;
    }
}
