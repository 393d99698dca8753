package dev.caravan.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.analytics.model.Rfm;

/**
 * Per-customer model inputs read in one pass over the purchase histories: the BG/NBD summary at the cut-off
 * (x, t_x, T in days of the analytics zone), the mean repeat-day value, the last purchase, the purchase days after
 * the cut-off (for holdout checks) and the best send hour (most frequent local hour of orders and engagements).
 */
final class ClvInputs {

    private static final long DAY_MS = 86_400_000L;

    int size;
    String[] ids = new String[1024];
    int[] x = new int[1024];
    double[] tx = new double[1024];
    double[] t = new double[1024];
    double[] monetary = new double[1024];
    long[] lastPurchase = new long[1024];
    int[] holdout = new int[1024];
    int[] bestHour = new int[1024];

    private ClvInputs() {
    }

    /**
     * @param customerIds null for every customer with purchases
     * @param platform    null for all platforms, else only that platform's purchases (and buyers)
     * @param cutoff      last day of observation (inclusive)
     * @param today       end of the holdout period (inclusive)
     */
    static ClvInputs read(PurchaseReader reader, CustomerZones zones, List<EngagementTimes> engagement,
                          Collection<String> customerIds, String platform, LocalDate cutoff, LocalDate today,
                          ZoneId zone, Runnable onCustomer) {
        Map<String, ZoneId> customerZones = zones.load(customerIds);
        Map<String, int[]> engagementHours = new HashMap<>();
        for (EngagementTimes source : engagement) {
            source.forEach(customerIds, (id, at) -> {
                if (id == null || at == null) return;
                int hour = at.atZone(customerZones.getOrDefault(id, zones.fallback())).getHour();
                engagementHours.computeIfAbsent(id, k -> new int[24])[hour]++;
            });
        }
        ClvInputs in = new ClvInputs();
        long cutoffDay = cutoff.toEpochDay();
        long todayDay = today.toEpochDay();
        boolean utc = zone.equals(ZoneOffset.UTC) || zone.getId().equals("UTC") || zone.getId().equals("Z");
        Buffers buf = new Buffers();
        int[] hours = new int[24];
        reader.forEach(customerIds, p -> {
            onCustomer.run();
            if (buf.days.length < p.count) {
                buf.days = new long[p.count * 2];
                buf.values = new double[p.count * 2];
            }
            long[] d = buf.days;
            double[] v = buf.values;
            int n = 0;
            Arrays.fill(hours, 0);
            ZoneId local = customerZones.getOrDefault(p.customerId, zones.fallback());
            long last = Long.MIN_VALUE;
            int after = 0;
            // purchase days after the cut-off that were not already purchase days before it

            long prevAfter = Long.MIN_VALUE;
            for (int i = 0; i < p.count; i++) {
                if (platform != null && !platform.equals(p.platforms[i])) continue;
                long ms = p.millis[i];
                long day = utc ? Math.floorDiv(ms, DAY_MS) : LocalDate.ofInstant(Instant.ofEpochMilli(ms), zone).toEpochDay();
                if (day > cutoffDay) {
                    if (day <= todayDay && day != prevAfter) after++;
                    prevAfter = day;
                    continue;
                }
                d[n] = day;
                v[n++] = p.values[i];
                last = ms;
                hours[Instant.ofEpochMilli(ms).atZone(local).getHour()]++;
            }
            if (n == 0) return;
            Rfm rfm = Rfm.of(d, v, n, cutoffDay);
            int[] extra = engagementHours.get(p.customerId);
            if (extra != null) for (int h = 0; h < 24; h++) hours[h] += extra[h];
            in.add(p.customerId, rfm, last, after, argMax(hours));
        });
        return in;
    }

    private static final class Buffers {
        long[] days = new long[64];
        double[] values = new double[64];
    }

    private static int argMax(int[] hours) {
        int best = -1;
        for (int h = 0; h < 24; h++) if (hours[h] > 0 && (best < 0 || hours[h] > hours[best])) best = h;
        return best;
    }

    private void add(String id, Rfm rfm, long last, int after, int hour) {
        if (size == ids.length) {
            int cap = size * 2;
            ids = Arrays.copyOf(ids, cap);
            x = Arrays.copyOf(x, cap);
            tx = Arrays.copyOf(tx, cap);
            t = Arrays.copyOf(t, cap);
            monetary = Arrays.copyOf(monetary, cap);
            lastPurchase = Arrays.copyOf(lastPurchase, cap);
            holdout = Arrays.copyOf(holdout, cap);
            bestHour = Arrays.copyOf(bestHour, cap);
        }
        ids[size] = id;
        x[size] = rfm.x();
        tx[size] = rfm.tx();
        t[size] = rfm.t();
        monetary[size] = rfm.monetary();
        lastPurchase[size] = last;
        holdout[size] = after;
        bestHour[size++] = hour;
    }

    int repeatCustomers() {
        int n = 0;
        for (int i = 0; i < size; i++) if (x[i] > 0) n++;
        return n;
    }

    int[] x() {
        return Arrays.copyOf(x, size);
    }

    double[] tx() {
        return Arrays.copyOf(tx, size);
    }

    double[] t() {
        return Arrays.copyOf(t, size);
    }

    double[] monetary() {
        return Arrays.copyOf(monetary, size);
    }
}
