package dev.caravan.analytics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.analytics.model.Rfm;

/** Reads the CDNOW purchase logs of {@code shared/datasets/cdnow} (see its README) into per-customer purchases. */
public final class Cdnow {

    public static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
    public static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    /** One customer's purchases: epoch days ascending and dollar values. */
    public record Purchases(long[] days, double[] values) {
        public Rfm rfm(LocalDate cutoff) {
            return Rfm.of(days, values, days.length, cutoff.toEpochDay());
        }

        /** Purchase days in (from, to], excluding days already bought on or before {@code from}. */
        public int purchaseDaysIn(LocalDate from, LocalDate to) {
            long prev = Long.MIN_VALUE;
            int n = 0;
            for (long d : days) {
                if (d > from.toEpochDay() && d <= to.toEpochDay() && d != prev) n++;
                prev = d;
            }
            return n;
        }
    }

    /** Every customer's (x, t_x, T, m) at a cutoff, as the arrays the model fits take. */
    public record Summaries(int[] x, double[] tx, double[] t, double[] m) {
        public int size() {
            return x.length;
        }
    }

    private Cdnow() {
    }

    public static Summaries summarise(Map<String, Purchases> customers, LocalDate cutoff) {
        int n = customers.size();
        Summaries s = new Summaries(new int[n], new double[n], new double[n], new double[n]);
        int i = 0;
        for (Purchases p : customers.values()) {
            Rfm rfm = p.rfm(cutoff);
            s.x[i] = rfm.x();
            s.tx[i] = rfm.tx();
            s.t[i] = rfm.t();
            s.m[i++] = rfm.monetary();
        }
        return s;
    }

    /** CDNOW_master.txt: 23,570 customers (header line, columns id date cds dollars). */
    public static Map<String, Purchases> master() {
        return read(SharedData.dataset("cdnow/CDNOW_master.txt"), true, 0, 1, 3);
    }

    /** CDNOW_sample.txt: 2,357 customers (no header; master id, sample id, date, cds, dollars), keyed by sample id. */
    public static Map<String, Purchases> sample() {
        return read(SharedData.dataset("cdnow/CDNOW_sample.txt"), false, 1, 2, 4);
    }

    private static Map<String, Purchases> read(Path file, boolean header, int idCol, int dateCol, int valueCol) {
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = header ? 1 : 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty()) continue;
                String[] f = line.split("\\s+");
                long day = LocalDate.parse(f[dateCol], DAY).toEpochDay();
                rows.computeIfAbsent(f[idCol], k -> new ArrayList<>()).add(new double[]{day, Double.parseDouble(f[valueCol])});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Purchases> out = new LinkedHashMap<>();
        rows.forEach((id, list) -> {
            list.sort((a, b) -> Double.compare(a[0], b[0]));
            long[] days = new long[list.size()];
            double[] values = new double[list.size()];
            for (int i = 0; i < days.length; i++) {
                days[i] = (long) list.get(i)[0];
                values[i] = list.get(i)[1];
            }
            out.put(id, new Purchases(days, values));
        });
        return out;
    }
}
