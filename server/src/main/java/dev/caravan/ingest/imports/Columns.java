package dev.caravan.ingest.imports;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVRecord;

/** Header-driven access to a CSV row: columns are found by name (case-insensitive), not position. */
final class Columns {

    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> names;

    Columns(List<String> header) {
        this.names = header;
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(normalise(header.get(i)), i);
        }
    }

    static String normalise(String name) {
        return name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    boolean has(String name) {
        return index.containsKey(name);
    }

    List<String> missing(List<String> required) {
        return required.stream().filter(r -> !index.containsKey(normalise(r))).toList();
    }

    /** Names of header columns that are neither known nor matched by a known prefix. */
    List<String> unknown(Set<String> known, List<String> knownPrefixes) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String k = normalise(n);
            if (!known.contains(k) && knownPrefixes.stream().noneMatch(k::startsWith)) out.add(n);
        }
        return out;
    }

    List<String> names() {
        return names;
    }

    /** The trimmed value, or null when the column is absent or the cell blank. */
    String get(CSVRecord row, String name) {
        Integer i = index.get(name);
        if (i == null || i >= row.size()) return null;
        String v = row.get(i);
        if (v == null) return null;
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    String required(CSVRecord row, String name) throws RowException {
        String v = get(row, name);
        if (v == null) throw new RowException(name + " is empty");
        return v;
    }

    BigDecimal decimal(CSVRecord row, String name) throws RowException {
        String v = get(row, name);
        if (v == null) return null;
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new RowException(name + " '" + v + "' is not a number");
        }
    }

    Integer integer(CSVRecord row, String name) throws RowException {
        String v = get(row, name);
        if (v == null) return null;
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new RowException(name + " '" + v + "' is not a whole number");
        }
    }
}
