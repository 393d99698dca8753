package dev.caravan.segment;

import java.util.List;

/**
 * A segment condition as typed data: {@code all}, {@code any}, {@code not} or a leaf. Built only by
 * {@link ConditionParser} from validated JSON, evaluated by {@link CompiledCondition}; never turned into code.
 */
public sealed interface Condition permits Condition.All, Condition.Any, Condition.Not, Condition.Leaf {

    record All(List<Condition> items) implements Condition {
    }

    record Any(List<Condition> items) implements Condition {
    }

    record Not(Condition item) implements Condition {
    }

    /**
     * One comparison. Profile and metric leaves have a {@link SegmentField}; behaviour leaves have an
     * {@link #event} and a {@link #behaviourField} ({@code count}, {@code category}, {@code sku}, or null for
     * {@code within_days}/{@code not_within_days} on the event itself).
     *
     * @param value normalised: String, Double, Boolean, or a List of those; for day operators the number of days
     * @param days  the behaviour window, or null (ever, as far as kept)
     */
    record Leaf(String path, SegmentField field, String event, String behaviourField, String op, Object value,
                Integer days) implements Condition {

        public boolean behaviour() {
            return event != null;
        }

        @SuppressWarnings("unchecked")
        public List<Object> values() {
            return value instanceof List<?> l ? (List<Object>) l : value == null ? List.of() : List.of(value);
        }

        public double number() {
            return ((Number) value).doubleValue();
        }
    }
}
