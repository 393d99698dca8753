package dev.caravan.rules;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.caravan.common.web.FieldError;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The typed view of a CSV decision table ({@code *.drl.csv}) for marketers: its columns (condition or action, the
 * header text, the value type derived from the column's template) and its rows of cells. An edit replaces the rows;
 * every cell is validated against its column's type (a number, or a kebab-case id for a quoted {@code "$param"}),
 * so marketer input never becomes code. Everything above the rows (RuleSet, imports, templates) stays verbatim.
 */
public final class DecisionTableFile {

    public enum CellType { NUMBER, ID, FIXED }

    public record Column(int index, String kind, String header, String template, CellType type) {
    }

    public record Table(String name, List<Column> columns, List<List<String>> rows) {
    }

    private static final Pattern NUMBER = Pattern.compile("^-?\\d{1,12}(\\.\\d{1,6})?$");
    private static final int MAX_ROWS = 1000;

    /** Where the table sits in the file's lines. */
    private record Layout(List<String> lines, int firstDataLine, int endDataLine, int width, Table table) {
    }

    private DecisionTableFile() {
    }

    public static Table read(String file, String text) {
        return layout(file, text).table();
    }

    private static Layout layout(String file, String text) {
        List<String> lines = List.of(text.replace("\r\n", "\n").split("\n", -1));
        int ruleTable = -1;
        for (int i = 0; i < lines.size(); i++) {
            List<String> cells = cells(lines.get(i));
            if (!cells.isEmpty() && cells.get(0).trim().toLowerCase(Locale.ROOT).startsWith("ruletable")) {
                if (ruleTable >= 0) {
                    throw new IllegalArgumentException(file + " has more than one RuleTable; typed edits need one table per file");
                }
                ruleTable = i;
            }
        }
        if (ruleTable < 0 || ruleTable + 4 >= lines.size()) {
            throw new IllegalArgumentException(file + " has no RuleTable with its type, object, template and header rows");
        }
        String name = cells(lines.get(ruleTable)).get(0).trim().substring("RuleTable".length()).trim();
        List<String> kinds = cells(lines.get(ruleTable + 1));
        List<String> templates = cells(lines.get(ruleTable + 3));
        List<String> headers = cells(lines.get(ruleTable + 4));
        List<Column> columns = new ArrayList<>();
        for (int c = 0; c < kinds.size(); c++) {
            String kind = kinds.get(c).trim().toUpperCase(Locale.ROOT);
            if (kind.isEmpty()) continue;
            String template = c < templates.size() ? templates.get(c) : "";
            columns.add(new Column(c, kind, c < headers.size() ? headers.get(c).trim() : "", template, typeOf(template)));
        }
        int first = ruleTable + 5;
        int end = first;
        List<List<String>> rows = new ArrayList<>();
        while (end < lines.size() && !blank(cells(lines.get(end)))) {
            List<String> cells = cells(lines.get(end));
            List<String> row = new ArrayList<>();
            for (Column col : columns) {
                row.add(col.index() < cells.size() ? cells.get(col.index()).trim() : "");
            }
            rows.add(row);
            end++;
        }
        return new Layout(lines, first, end, kinds.size(), new Table(name, columns, rows));
    }

    private static CellType typeOf(String template) {
        String t = template.trim();
        long params = Pattern.compile("\\$param").matcher(t).results().count();
        if (params != 1 || t.matches(".*\\$\\d.*")) return CellType.FIXED;
        return t.contains("\"$param\"") ? CellType.ID : CellType.NUMBER;
    }

    /**
     * The file text with the rows replaced by {@code rows} (one list of cells per row, in column order).
     * Throws {@link InvalidInputException} naming every invalid cell.
     */
    static String withRows(String file, String text, List<List<String>> rows) {
        Layout layout = layout(file, text);
        Table table = layout.table();
        List<FieldError> errors = new ArrayList<>();
        if (rows == null || rows.isEmpty() || rows.size() > MAX_ROWS) {
            throw new InvalidInputException("a table needs 1 to " + MAX_ROWS + " rows", List.of());
        }
        List<List<String>> clean = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row == null || row.size() != table.columns().size()) {
                errors.add(new FieldError("rows[" + r + "]", "must have " + table.columns().size() + " cells ("
                        + table.columns().stream().map(Column::header).toList() + ")"));
                continue;
            }
            List<String> out = new ArrayList<>();
            boolean anyAction = false;
            for (int c = 0; c < row.size(); c++) {
                Column col = table.columns().get(c);
                String v = row.get(c) == null ? "" : row.get(c).trim();
                String path = "rows[" + r + "][" + c + "]";
                switch (col.type()) {
                    case NUMBER -> {
                        if (!v.isEmpty() && !NUMBER.matcher(v).matches()) {
                            errors.add(new FieldError(path, col.header() + ": '" + v + "' is not a number"));
                        }
                        v = v.isEmpty() ? v : new BigDecimal(v.matches(NUMBER.pattern()) ? v : "0").stripTrailingZeros().toPlainString();
                    }
                    case ID -> {
                        if (!v.isEmpty() && !Vocabulary.ID.matcher(v).matches()) {
                            errors.add(new FieldError(path, col.header() + ": '" + v
                                    + "' must be a lowercase id such as gold or high-value"));
                        }
                    }
                    case FIXED -> {
                        String before = r < table.rows().size() ? table.rows().get(r).get(c) : "";
                        if (!v.equals(before)) {
                            errors.add(new FieldError(path, col.header() + ": this column's template takes no typed "
                                    + "value; only an ADMIN can change it by uploading the file"));
                        }
                    }
                }
                if (col.kind().equals("ACTION") && !v.isEmpty()) anyAction = true;
                out.add(v);
            }
            if (!anyAction) errors.add(new FieldError("rows[" + r + "]", "a row needs at least one action value"));
            clean.add(out);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException("the table has invalid cells; nothing was changed", errors);
        }
        int width = Math.max(layout.width(), table.columns().stream().mapToInt(Column::index).max().orElse(0) + 1);
        List<String> lines = new ArrayList<>(layout.lines().subList(0, layout.firstDataLine()));
        for (List<String> row : clean) {
            String[] cells = new String[width];
            java.util.Arrays.fill(cells, "");
            for (int c = 0; c < row.size(); c++) cells[table.columns().get(c).index()] = row.get(c);
            lines.add(csvLine(cells));
        }
        lines.addAll(layout.lines().subList(layout.endDataLine(), layout.lines().size()));
        return String.join("\n", lines);
    }

    private static String csvLine(String[] cells) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("").get())) {
            p.printRecord((Object[]) cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static List<String> cells(String line) {
        if (line.isBlank()) return List.of();
        try {
            List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(line)).getRecords();
            return records.isEmpty() ? List.of() : records.get(0).toList();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("a line of the table is not valid CSV: " + line);
        }
    }

    private static boolean blank(List<String> cells) {
        return cells.stream().allMatch(String::isBlank);
    }
}
