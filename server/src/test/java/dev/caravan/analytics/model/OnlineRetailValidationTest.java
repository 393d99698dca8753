package dev.caravan.analytics.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import dev.caravan.analytics.SharedData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * UCI Online Retail (541,909 invoice lines, 4,372 buyers, 2010-12-01..2011-12-09) read straight from the shared
 * file: the models fit without errors (the BG/NBD finds almost no dropout here, a degenerate but predictive fit),
 * and a fit with the cut-off 2011-06-30 tracks the buyers' purchase days in July-September 2011. (A stationary
 * model cannot foresee the Christmas peak: with the cut-off 2011-09-09 it under-predicts the last three months by
 * about 25 %; docs/ANALYTICS.md.) Invoices are summed per invoice; cancellations (C...) and non-positive
 * invoices are left out; days are UK dates. (Through the server the same file goes through the foundation's import
 * with format=uci-online-retail; OnlineRetailApiTest does that with the bundled demo subset.)
 */
class OnlineRetailValidationTest {

    static final LocalDate CUTOFF = LocalDate.of(2011, 6, 30);
    static final LocalDate END = LocalDate.of(2011, 9, 30);

    @Test
    void fitsAndTracksTheThirdQuarter() throws IOException {
        Path file = SharedData.dataset("online_retail/online_retail.csv.gz");
        Map<String, Map<String, Object[]>> invoices = new HashMap<>();   // customer -> invoice -> {day, total}
        DateTimeFormatter iso = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");
        try (Reader r = new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                String customer = row.get("CustomerID");
                String invoice = row.get("InvoiceNo");
                if (customer.isEmpty() || invoice.startsWith("C")) continue;
                double amount = Integer.parseInt(row.get("Quantity")) * Double.parseDouble(row.get("UnitPrice"));
                Object[] inv = invoices.computeIfAbsent(customer, k -> new LinkedHashMap<>()).computeIfAbsent(invoice,
                        k -> new Object[]{LocalDateTime.parse(row.get("InvoiceDate"), iso).toLocalDate().toEpochDay(), 0.0});
                inv[1] = (Double) inv[1] + amount;
            }
        }
        List<Rfm> cal = new ArrayList<>();
        List<Integer> holdout = new ArrayList<>();
        for (Map<String, Object[]> byInvoice : invoices.values()) {
            List<Object[]> list = byInvoice.values().stream().filter(i -> (Double) i[1] > 0)
                    .sorted((a, b) -> Long.compare((Long) a[0], (Long) b[0])).toList();
            if (list.isEmpty()) continue;
            long[] days = new long[list.size()];
            double[] values = new double[list.size()];
            for (int i = 0; i < days.length; i++) {
                days[i] = (Long) list.get(i)[0];
                values[i] = (Double) list.get(i)[1];
            }
            Rfm rfm = Rfm.of(days, values, days.length, CUTOFF.toEpochDay());
            if (rfm == null) continue;   // first purchase after the cut-off
            cal.add(rfm);
            long prev = Long.MIN_VALUE;
            int later = 0;
            for (long d : days) {
                if (d > CUTOFF.toEpochDay() && d <= END.toEpochDay() && d != prev) later++;
                prev = d;
            }
            holdout.add(later);
        }
        int n = cal.size();
        assertThat(n).isGreaterThan(2000);
        int[] x = new int[n];
        double[] tx = new double[n];
        double[] t = new double[n];
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = cal.get(i).x();
            tx[i] = cal.get(i).tx();
            t[i] = cal.get(i).t();
            m[i] = cal.get(i).monetary();
        }
        BgNbd.Fit fit = BgNbd.fit(BgNbdData.of(x, tx, t));
        GammaGamma.Fit spend = GammaGamma.fit(GammaGamma.Data.of(x, m));
        assertThat(fit.converged()).as("%s", fit.warnings()).isTrue();
        assertThat(spend.converged()).as("%s", spend.warnings()).isTrue();
        assertThat(spend.model().q()).isGreaterThan(1);

        long days = END.toEpochDay() - CUTOFF.toEpochDay();
        double predicted = 0;
        double actual = 0;
        ClvScorer scorer = new ClvScorer(fit.model(), spend.model(), 365, 30, 0.1, 1.0);
        ClvScorer.Score score = new ClvScorer.Score();
        for (int i = 0; i < n; i++) {
            predicted += fit.model().expectedPurchases(days, x[i], tx[i], t[i]);
            actual += holdout.get(i);
            scorer.score(x[i], tx[i], t[i], m[i], score);
            assertThat(score.clv).isFinite().isNotNegative();
        }
        double error = (predicted - actual) / actual;
        System.out.printf("Online Retail: %d buyers, %s, %s%n  holdout %d days: predicted %.0f, actual %.0f purchase days, error %+.1f%%%n",
                n, fit.model(), spend.model(), days, predicted, actual, 100 * error);
        assertThat(Math.abs(error)).isLessThan(0.10);
    }
}
