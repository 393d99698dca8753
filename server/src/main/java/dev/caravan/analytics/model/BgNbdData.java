package dev.caravan.analytics.model;

import java.util.Arrays;

/**
 * Customers' (x, t_x, T) prepared for fast likelihood evaluation: identical triples are merged into one weighted
 * row (on day-granular data most customers share their triple with others: every one-time buyer of a day has
 * (0, 0, T)), and x, t_x and T refer to tables of their distinct values, so the terms that depend on one of them
 * only (gamma functions of x, ln(alpha + T), ln(alpha + t_x)) are computed once per distinct value and evaluation.
 */
public final class BgNbdData {

    final int customers;
    final int[] xValues;        // distinct x, ascending
    final double[] txValues;    // distinct t_x, ascending
    final double[] tValues;     // distinct T, ascending
    final int[] rowX;
    final int[] rowTx;
    final int[] rowT;
    final double[] rowWeight;
    final double meanT;
    final double meanX;

    private BgNbdData(int customers, int[] xValues, double[] txValues, double[] tValues, int[] rowX, int[] rowTx,
                      int[] rowT, double[] rowWeight, double meanT, double meanX) {
        this.customers = customers;
        this.xValues = xValues;
        this.txValues = txValues;
        this.tValues = tValues;
        this.rowX = rowX;
        this.rowTx = rowTx;
        this.rowT = rowT;
        this.rowWeight = rowWeight;
        this.meanT = meanT;
        this.meanX = meanX;
    }

    /**
     * @param x  repeat purchases (purchase occasions after the first), &ge; 0
     * @param tx time of the last purchase since the first, 0 when x = 0, &le; T
     * @param t  age: time from the first purchase to the end of observation
     */
    public static BgNbdData of(int[] x, double[] tx, double[] t) {
        int n = x.length;
        if (tx.length != n || t.length != n) throw new IllegalArgumentException("x, t_x and T differ in length");
        if (n == 0) throw new IllegalArgumentException("no customers to fit");
        double sumT = 0;
        double sumX = 0;
        for (int i = 0; i < n; i++) {
            if (x[i] < 0 || !(tx[i] >= 0) || !(t[i] >= tx[i]) || Double.isInfinite(t[i]) || (x[i] == 0 && tx[i] != 0)) {
                throw new IllegalArgumentException("customer " + i + " has an impossible (x, t_x, T) = (" + x[i] + ", "
                        + tx[i] + ", " + t[i] + ")");
            }
            sumT += t[i];
            sumX += x[i];
        }
        int[] xs = distinct(x);
        double[] txs = distinct(tx);
        double[] ts = distinct(t);
        int[] ix = new int[n];
        int[] itx = new int[n];
        int[] it = new int[n];
        for (int i = 0; i < n; i++) {
            ix[i] = Arrays.binarySearch(xs, x[i]);
            itx[i] = Arrays.binarySearch(txs, tx[i]);
            it[i] = Arrays.binarySearch(ts, t[i]);
        }
        if (xs.length < (1 << 20) && txs.length < (1 << 21) && ts.length < (1 << 21)) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) keys[i] = ((long) ix[i] << 42) | ((long) itx[i] << 21) | it[i];
            Arrays.sort(keys);
            int rows = 0;
            for (int i = 0; i < n; i++) if (i == 0 || keys[i] != keys[i - 1]) rows++;
            int[] rx = new int[rows];
            int[] rtx = new int[rows];
            int[] rt = new int[rows];
            double[] w = new double[rows];
            int r = -1;
            for (int i = 0; i < n; i++) {
                if (i == 0 || keys[i] != keys[i - 1]) {
                    r++;
                    rx[r] = (int) (keys[i] >>> 42);
                    rtx[r] = (int) ((keys[i] >>> 21) & ((1 << 21) - 1));
                    rt[r] = (int) (keys[i] & ((1 << 21) - 1));
                }
                w[r] += 1;
            }
            return new BgNbdData(n, xs, txs, ts, rx, rtx, rt, w, sumT / n, sumX / n);
        }
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        return new BgNbdData(n, xs, txs, ts, ix, itx, it, w, sumT / n, sumX / n);
    }

    /**
     * Every {@code step}-th row with {@code step} times its weight: a cheap stand-in for the whole data (rows are in
     * (x, t_x, T) order, so the sample covers every part of it), used to find a good start for the full fit.
     */
    BgNbdData thinned(int step) {
        int rows = (rowWeight.length + step - 1) / step;
        int[] rx = new int[rows];
        int[] rtx = new int[rows];
        int[] rt = new int[rows];
        double[] w = new double[rows];
        for (int i = 0, k = 0; i < rowWeight.length; i += step, k++) {
            rx[k] = rowX[i];
            rtx[k] = rowTx[i];
            rt[k] = rowT[i];
            double sum = 0;
            for (int j = i; j < Math.min(rowWeight.length, i + step); j++) sum += rowWeight[j];
            w[k] = sum;
        }
        return new BgNbdData(customers, xValues, txValues, tValues, rx, rtx, rt, w, meanT, meanX);
    }

    public int customers() {
        return customers;
    }

    /** Weighted rows after merging identical customers. */
    public int rows() {
        return rowWeight.length;
    }

    private static int[] distinct(int[] v) {
        return Arrays.stream(v).distinct().sorted().toArray();
    }

    private static double[] distinct(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int k = 0;
        for (int i = 0; i < s.length; i++) if (i == 0 || s[i] != s[i - 1]) s[k++] = s[i];
        return Arrays.copyOf(s, k);
    }
}
