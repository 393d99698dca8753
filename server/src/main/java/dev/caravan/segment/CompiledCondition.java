package dev.caravan.segment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.springframework.data.mongodb.core.query.Criteria;

/**
 * A condition compiled into a Java predicate over {@link SegmentFacts} (the exact decision) and, where possible, a
 * store query that narrows the customers read (the pushdown). The pushdown only ever uses fixed field paths from
 * {@link SegmentField} and binds values as values; it is a superset filter with the same meaning as the predicate,
 * so the predicate always has the last word.
 */
final class CompiledCondition {

    /** An expensive part of a condition: where, and why. */
    record Warning(String path, String message) {
    }

    final Condition condition;
    final Predicate<SegmentFacts> predicate;
    final Criteria pushdown;
    final boolean needsHistory;
    final boolean needsBehaviour;
    final List<Warning> warnings;

    private CompiledCondition(Condition condition, Predicate<SegmentFacts> predicate, Criteria pushdown,
                              boolean needsHistory, boolean needsBehaviour, List<Warning> warnings) {
        this.condition = condition;
        this.predicate = predicate;
        this.pushdown = pushdown;
        this.needsHistory = needsHistory;
        this.needsBehaviour = needsBehaviour;
        this.warnings = warnings;
    }

    static CompiledCondition compile(Condition c) {
        boolean[] needs = new boolean[2];
        List<Warning> warnings = new ArrayList<>();
        Predicate<SegmentFacts> p = predicate(c, needs, warnings);
        Criteria push = pushdown(c).orElse(null);
        if (push == null) {
            warnings.add(0, new Warning("condition", "no part of the condition narrows the customers read from the "
                    + "store (only country, tier, lifecycle, level, tags, platform and orders do): every customer is "
                    + "evaluated"));
        }
        if (needs[1]) {
            warnings.add(new Warning("condition", "behaviour conditions read each candidate's behaviour summary "
                    + "(one more read per customer)"));
        }
        if (needs[0]) {
            warnings.add(new Warning("condition", "order history conditions read each candidate's purchase history "
                    + "(one more read per customer)"));
        }
        return new CompiledCondition(c, p, push, needs[0], needs[1], List.copyOf(warnings));
    }

    boolean test(SegmentFacts f) {
        return predicate.test(f);
    }

    private static Predicate<SegmentFacts> predicate(Condition c, boolean[] needs, List<Warning> warnings) {
        if (c instanceof Condition.All a) {
            List<Predicate<SegmentFacts>> ps = a.items().stream().map(i -> predicate(i, needs, warnings)).toList();
            return f -> {
                for (Predicate<SegmentFacts> p : ps) if (!p.test(f)) return false;
                return true;
            };
        }
        if (c instanceof Condition.Any a) {
            if (a.items().size() > 10) {
                warnings.add(new Warning("any", a.items().size() + " alternatives: each customer is tested against all of them"));
            }
            List<Predicate<SegmentFacts>> ps = a.items().stream().map(i -> predicate(i, needs, warnings)).toList();
            return f -> {
                for (Predicate<SegmentFacts> p : ps) if (p.test(f)) return true;
                return false;
            };
        }
        if (c instanceof Condition.Not n) {
            return predicate(n.item(), needs, warnings).negate();
        }
        Condition.Leaf l = (Condition.Leaf) c;
        if (l.values().size() > 100) {
            warnings.add(new Warning(l.path(), l.values().size() + " values in one list"));
        }
        return l.behaviour() ? behaviour(l, needs, warnings) : profile(l, needs);
    }

    private static Predicate<SegmentFacts> profile(Condition.Leaf l, boolean[] needs) {
        SegmentField field = l.field();
        String op = l.op();
        switch (field.kind()) {
            case ID, COUNTRY, LANGUAGE -> {
                boolean language = field.kind() == SegmentField.Kind.LANGUAGE;
                List<Object> values = l.values();
                Predicate<String> matchesAny = v -> v != null && values.stream()
                        .anyMatch(x -> language ? languageMatches(v, (String) x) : x.equals(v));
                return switch (op) {
                    case "eq", "in" -> f -> matchesAny.test(f.text(field));
                    case "ne", "nin" -> f -> !matchesAny.test(f.text(field));
                    default -> exists(l, f -> f.text(field) != null);
                };
            }
            case SET -> {
                if (field == SegmentField.INTEREST) {
                    needs[0] = true;
                    needs[1] = true;
                }
                List<String> values = l.values().stream().map(v -> ((String) v).toLowerCase(Locale.ROOT)).toList();
                Predicate<Set<String>> containsAny = s -> s.stream().anyMatch(x -> values.contains(x.toLowerCase(Locale.ROOT)));
                return switch (op) {
                    case "eq", "contains", "in" -> f -> containsAny.test(f.set(field));
                    case "ne", "nin" -> f -> !containsAny.test(f.set(field));
                    default -> exists(l, f -> !f.set(field).isEmpty());
                };
            }
            case NUMBER -> {
                if (op.equals("exists")) return exists(l, f -> f.number(field) != null);
                BigDecimal v = BigDecimal.valueOf(l.number());
                return f -> compare(f.number(field), op, v);
            }
            default -> {
                if (op.equals("exists")) return exists(l, f -> f.date(field) != null);
                int days = (int) l.number();
                Predicate<SegmentFacts> within = f -> {
                    Instant t = f.date(field);
                    return t != null && !t.isBefore(f.cutoff(days));
                };
                return op.equals("within_days") ? within : within.negate();
            }
        }
    }

    private static Predicate<SegmentFacts> behaviour(Condition.Leaf l, boolean[] needs, List<Warning> warnings) {
        String event = l.event();
        boolean order = event.equals(SegmentField.ORDER_PLACED);
        String field = l.behaviourField();
        if (field == null) {
            if (!order) needs[1] = true;
            int days = (int) l.number();
            Predicate<SegmentFacts> within = f -> {
                Instant t = f.last(event, "event", "");
                return t != null && !t.isBefore(f.cutoff(days));
            };
            return l.op().equals("within_days") ? within : within.negate();
        }
        if (field.equals("count")) {
            if (order) needs[0] = true;
            else needs[1] = true;
            BigDecimal v = BigDecimal.valueOf(l.number());
            int days = l.days();
            return f -> compare(BigDecimal.valueOf(f.count(event, f.cutoff(days))), l.op(), v);
        }
        if (order && field.equals("category")) needs[0] = true;
        else needs[1] = true;
        List<String> values = l.values().stream().map(v -> ((String) v).toLowerCase(Locale.ROOT)).toList();
        Integer days = l.days();
        boolean contains = l.op().equals("contains");
        if (contains) warnings.add(new Warning(l.path(), "'contains' compares with every " + field + " the customer has"));
        Predicate<SegmentFacts> matches = f -> {
            Instant since = days == null ? Instant.MIN : f.cutoff(days);
            if (!contains && !(order && field.equals("category"))) {
                for (String v : values) {
                    Instant t = f.last(event, field, v);
                    if (t != null && !t.isBefore(since)) return true;
                }
                return false;
            }
            for (Map.Entry<String, Instant> e : f.keys(event, field).entrySet()) {
                if (e.getValue().isBefore(since)) continue;
                for (String v : values) {
                    if (contains ? e.getKey().contains(v) : e.getKey().equals(v)) return true;
                }
            }
            return false;
        };
        return l.op().equals("ne") || l.op().equals("nin") ? matches.negate() : matches;
    }

    private static Predicate<SegmentFacts> exists(Condition.Leaf l, Predicate<SegmentFacts> present) {
        boolean wanted = !Boolean.FALSE.equals(l.value());
        return f -> present.test(f) == wanted;
    }

    private static boolean compare(BigDecimal x, String op, BigDecimal v) {
        if (x == null) return op.equals("ne");
        int c = x.compareTo(v);
        return switch (op) {
            case "eq" -> c == 0;
            case "ne" -> c != 0;
            case "gt" -> c > 0;
            case "gte" -> c >= 0;
            case "lt" -> c < 0;
            case "lte" -> c <= 0;
            default -> false;
        };
    }

    /** A bare language ({@code de}) matches its regional forms ({@code de-AT}); a regional tag matches exactly. */
    static boolean languageMatches(String customer, String wanted) {
        if (customer.equalsIgnoreCase(wanted)) return true;
        return wanted.indexOf('-') < 0 && customer.toLowerCase(Locale.ROOT).startsWith(wanted.toLowerCase(Locale.ROOT) + "-");
    }

    /** The part of the condition the store can apply with the same meaning, or empty. */
    private static Optional<Criteria> pushdown(Condition c) {
        if (c instanceof Condition.All a) {
            List<Criteria> parts = a.items().stream().map(CompiledCondition::pushdown).flatMap(Optional::stream).toList();
            if (parts.isEmpty()) return Optional.empty();
            return Optional.of(parts.size() == 1 ? parts.get(0) : new Criteria().andOperator(parts));
        }
        if (c instanceof Condition.Any a) {
            List<Optional<Criteria>> parts = a.items().stream().map(CompiledCondition::pushdown).toList();
            if (parts.stream().anyMatch(Optional::isEmpty)) return Optional.empty();
            return Optional.of(new Criteria().orOperator(parts.stream().map(Optional::get).toList()));
        }
        if (!(c instanceof Condition.Leaf l) || l.behaviour() || l.field().storePath() == null) return Optional.empty();
        String path = l.field().storePath();
        if (l.field() == SegmentField.ORDERS) {
            long v = (long) l.number();
            boolean integral = v == l.number();
            // only comparisons that exclude customers without a stored count, which have no orders anyway
            return switch (l.op()) {
                case "gt" -> l.number() >= 0 ? Optional.of(Criteria.where(path).gt(v)) : Optional.empty();
                case "gte" -> integral && v > 0 ? Optional.of(Criteria.where(path).gte(v)) : Optional.empty();
                case "eq" -> integral && v > 0 ? Optional.of(Criteria.where(path).is(v)) : Optional.empty();
                default -> Optional.empty();
            };
        }
        return switch (l.op()) {
            case "eq", "contains" -> Optional.of(Criteria.where(path).is(l.value()));
            case "in" -> Optional.of(Criteria.where(path).in(l.values()));
            default -> Optional.empty();
        };
    }
}
