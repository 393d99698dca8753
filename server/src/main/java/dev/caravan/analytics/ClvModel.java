package dev.caravan.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import dev.caravan.analytics.model.BgNbd;
import dev.caravan.analytics.model.GammaGamma;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One fitted pair of models, as stored in {@code clv_models} and returned by {@code GET /analytics/clv/model}.
 * Parameters are in {@link #timeUnit} (days): alpha, the scale of the purchase-rate distribution, is in days. {@code platform} is null for a fit over all
 * platforms; only such fits with the cut-off of their own day become the {@code active} model that scores profiles.
 *
 * @param purchases  BG/NBD: r, alpha, a, b with log-likelihood and standard errors
 * @param spend      Gamma-Gamma: p, q, v (v in the base currency), or null when it could not be fitted
 * @param holdout    calibration/holdout check when the cut-off lies in the past, else null
 * @param scored     profiles whose predictions this model wrote
 */
@Document("clv_models")
public record ClvModel(
        @MongoId(FieldType.STRING) String id,
        String jobId,
        String platform,
        LocalDate cutoff,
        String timeUnit,
        String baseCurrency,
        PurchaseModel purchases,
        SpendModel spend,
        Holdout holdout,
        int customers,
        int repeatCustomers,
        boolean active,
        long scored,
        int horizonDays,
        double discountRate,
        double margin,
        @Indexed Instant fittedAt,
        List<String> warnings) {

    public record PurchaseModel(double r, double alpha, double a, double b, double logLikelihood, int customers,
                                int evaluations, StandardErrors standardErrors, boolean converged, List<String> warnings) {
        public BgNbd model() {
            return new BgNbd(r, alpha, a, b);
        }
    }

    public record SpendModel(double p, double q, double v, double logLikelihood, int customers, int evaluations,
                             StandardErrors standardErrors, boolean converged, double populationMeanOrderValue,
                             List<String> warnings) {
        public GammaGamma model() {
            return new GammaGamma(p, q, v);
        }
    }

    /** Standard errors in parameter order (r, alpha, a, b or p, q, v); null entries when unavailable. */
    public record StandardErrors(List<Double> values) {
    }

    /**
     * Predicted against actual repeat purchase days after the cut-off.
     *
     * @param days       length of the holdout period (cut-off to the fit's day)
     * @param error      (predicted - actual) / actual; null when nobody bought in the holdout
     * @param byFrequency mean predicted and actual holdout purchases per calibration frequency x (0..6, 7 = 7+)
     */
    public record Holdout(long days, double predicted, double actual, Double error, List<Group> byFrequency) {
    }

    public record Group(String x, int customers, double predictedMean, double actualMean) {
    }
}
