package dev.caravan.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * ECharts options built on the server (translated labels included) and handed to the page as JSON in a
 * {@code data-chart} attribute; console.js only calls {@code setOption}. Every chart on a page also has its numbers
 * in a table for screen readers and keyboard users.
 */
final class Charts {

    static final String[] PALETTE = {"#1d4ed8", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#4b5563",
            "#db2777", "#65a30d", "#7c3aed"};

    private Charts() {
    }

    static String json(JsonMapper mapper, Map<String, Object> option) {
        return mapper.writeValueAsString(option);
    }

    static Map<String, Object> base() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("color", List.of(PALETTE));
        o.put("animation", false);
        o.put("textStyle", Map.of("fontFamily", "system-ui, sans-serif"));
        return o;
    }

    static Map<String, Object> pie(List<String> names, List<? extends Number> values) {
        Map<String, Object> o = base();
        o.put("tooltip", Map.of("trigger", "item", "formatter", "{b}: {c} ({d}%)"));
        o.put("legend", Map.of("bottom", 0, "type", "scroll"));
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) data.add(Map.of("name", names.get(i), "value", values.get(i)));
        o.put("series", List.of(Map.of("type", "pie", "radius", List.of("40%", "70%"), "center", List.of("50%", "45%"),
                "data", data, "label", Map.of("formatter", "{b}\n{d}%"))));
        return o;
    }

    /** Bars per category; several series side by side. {@code horizontal} puts categories on the y axis. */
    static Map<String, Object> bars(List<String> categories, Map<String, List<? extends Number>> series, boolean horizontal) {
        Map<String, Object> o = base();
        o.put("tooltip", Map.of("trigger", "axis"));
        if (series.size() > 1) o.put("legend", Map.of("top", 0));
        o.put("grid", Map.of("left", horizontal ? 90 : 50, "right", 20, "top", series.size() > 1 ? 30 : 15, "bottom", 30,
                "containLabel", false));
        Map<String, Object> cat = new LinkedHashMap<>(Map.of("type", "category", "data", categories));
        if (horizontal) cat.put("inverse", true); // first category on top, as in the table beside it
        Map<String, Object> val = Map.of("type", "value");
        o.put(horizontal ? "yAxis" : "xAxis", cat);
        o.put(horizontal ? "xAxis" : "yAxis", val);
        List<Map<String, Object>> s = new ArrayList<>();
        series.forEach((name, values) -> s.add(Map.of("type", "bar", "name", name, "data", values)));
        o.put("series", s);
        return o;
    }

    /** Lines over categories (dates, shares...). */
    static Map<String, Object> lines(List<String> categories, Map<String, List<? extends Number>> series, String yFormatter) {
        Map<String, Object> o = base();
        o.put("tooltip", Map.of("trigger", "axis"));
        if (series.size() > 1) o.put("legend", Map.of("top", 0, "type", "scroll"));
        o.put("grid", Map.of("left", 60, "right", 20, "top", series.size() > 1 ? 35 : 15, "bottom", 30));
        o.put("xAxis", Map.of("type", "category", "data", categories, "boundaryGap", false));
        Map<String, Object> y = new LinkedHashMap<>(Map.of("type", "value"));
        if (yFormatter != null) y.put("axisLabel", Map.of("formatter", yFormatter));
        o.put("yAxis", y);
        List<Map<String, Object>> s = new ArrayList<>();
        series.forEach((name, values) -> s.add(Map.of("type", "line", "name", name, "data", values, "showSymbol", false)));
        o.put("series", s);
        return o;
    }

    /** A heat map: {@code cells} are [x index, y index, value]; values between min and max are coloured. */
    static Map<String, Object> heatmap(List<String> x, List<String> y, List<List<Object>> cells, double min, double max,
                                       String xName, String yName) {
        Map<String, Object> o = base();
        o.put("tooltip", Map.of("position", "top"));
        o.put("grid", Map.of("left", 90, "right", 20, "top", 10, "bottom", 70));
        o.put("xAxis", Map.of("type", "category", "data", x, "name", xName, "nameLocation", "middle", "nameGap", 28,
                "splitArea", Map.of("show", true)));
        o.put("yAxis", Map.of("type", "category", "data", y, "name", yName, "splitArea", Map.of("show", true)));
        o.put("visualMap", Map.of("min", min, "max", max, "calculable", true, "orient", "horizontal", "left", "center",
                "bottom", 0, "itemHeight", 120, "inRange", Map.of("color", List.of("#eff6ff", "#1d4ed8"))));
        o.put("series", List.of(Map.of("type", "heatmap", "data", cells, "label", Map.of("show", true, "fontSize", 10))));
        return o;
    }
}
