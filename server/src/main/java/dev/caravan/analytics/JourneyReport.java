package dev.caravan.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.caravan.common.web.BadRequestException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/** Journey/channel performance from {@link JourneyStatsSource}s, grouped as asked, with rates. */
@Service
public class JourneyReport {

    private final ObjectProvider<JourneyStatsSource> sources;

    public JourneyReport(ObjectProvider<JourneyStatsSource> sources) {
        this.sources = sources;
    }

    public record Line(String journey, String step, String channel, String variant, long sent, long delivered,
                       long opened, long clicked, long converted, double revenue, Double deliveryRate, Double openRate,
                       Double clickRate, Double conversionRate) {
    }

    /**
     * @param available false until a messaging feature supplies the numbers
     */
    public record Report(boolean available, String groupBy, Instant from, Instant to, List<Line> lines) {
    }

    public Report report(Instant from, Instant to, List<String> groupBy) {
        if (!from.isBefore(to)) throw new BadRequestException("from must lie before to");
        for (String g : groupBy) {
            if (!List.of("journey", "step", "channel", "variant").contains(g)) {
                throw new BadRequestException("groupBy takes journey, step, channel, variant; got " + g);
            }
        }
        List<JourneyStatsSource> all = sources.orderedStream().toList();
        Map<List<String>, long[]> counts = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
        Map<List<String>, double[]> revenue = new java.util.HashMap<>();
        for (JourneyStatsSource source : all) {
            for (JourneyStatsSource.Row r : source.stats(from, to)) {
                List<String> key = List.of(groupBy.contains("journey") ? Objects.toString(r.journey(), "") : "",
                        groupBy.contains("step") ? Objects.toString(r.step(), "") : "",
                        groupBy.contains("channel") ? Objects.toString(r.channel(), "") : "",
                        groupBy.contains("variant") ? Objects.toString(r.variant(), "") : "");
                long[] c = counts.computeIfAbsent(key, k -> new long[5]);
                c[0] += r.sent();
                c[1] += r.delivered();
                c[2] += r.opened();
                c[3] += r.clicked();
                c[4] += r.converted();
                revenue.computeIfAbsent(key, k -> new double[1])[0] += r.revenue();
            }
        }
        List<Line> lines = new ArrayList<>();
        counts.forEach((k, c) -> lines.add(new Line(blank(k.get(0)), blank(k.get(1)), blank(k.get(2)), blank(k.get(3)),
                c[0], c[1], c[2], c[3], c[4], revenue.get(k)[0], rate(c[1], c[0]), rate(c[2], c[1]), rate(c[3], c[1]),
                rate(c[4], c[1]))));
        return new Report(!all.isEmpty(), String.join(",", groupBy), from, to, lines);
    }

    private static String blank(String s) {
        return s.isEmpty() ? null : s;
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
