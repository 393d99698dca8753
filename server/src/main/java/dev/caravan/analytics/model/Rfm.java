package dev.caravan.analytics.model;

/**
 * One customer's recency/frequency/monetary summary in the BG/NBD convention: purchases are counted by day (all
 * orders of one day are one purchase occasion with their values added up), x is the number of purchase days after
 * the first, t_x the day of the last purchase and T the end of observation, both counted from the first purchase
 * day. The monetary value is the mean value of the repeat purchase days (the first purchase is left out, as in the
 * Gamma-Gamma papers), 0 when x = 0.
 *
 * @param x             repeat purchase days
 * @param tx            days from the first to the last purchase day
 * @param t             days from the first purchase day to the cut-off day
 * @param monetary      mean value of the repeat purchase days
 * @param firstDay      the first purchase day (epoch day)
 * @param lastDay       the last purchase day (epoch day)
 */
public record Rfm(int x, int tx, int t, double monetary, long firstDay, long lastDay) {

    /**
     * Summarises purchases given as epoch days (ascending) and values; only days &le; {@code cutoffDay} count.
     * Returns null when no purchase falls on or before the cut-off.
     */
    public static Rfm of(long[] days, double[] values, int count, long cutoffDay) {
        long first = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        long current = Long.MIN_VALUE;
        int purchaseDays = 0;
        double repeatValue = 0;
        for (int i = 0; i < count; i++) {
            long d = days[i];
            if (d > cutoffDay) break;
            if (d != current) {
                purchaseDays++;
                current = d;
                if (first == Long.MIN_VALUE) first = d;
                last = d;
            }
            if (d != first) repeatValue += values[i];
        }
        if (purchaseDays == 0) return null;
        int x = purchaseDays - 1;
        return new Rfm(x, (int) (last - first), (int) (cutoffDay - first), x == 0 ? 0 : repeatValue / x, first, last);
    }
}
