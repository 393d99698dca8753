package dev.caravan.analytics.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Maximum likelihood for models with positive parameters: Hipparchus' BOBYQA maximises the log-likelihood over
 * the logarithms of the parameters (divided by a scale each, so all start near 0), within bounds of
 * &plusmn;{@value #BOUND} around the scale. Afterwards a finite-difference Hessian of the log-likelihood gives the
 * standard errors (delta method) and a Newton-step check confirms the optimum; a fit that runs out of evaluations,
 * ends on a bound or whose Hessian is not negative definite is reported as not converged, with the reason.
 */
final class Mle {

    static final double BOUND = 14.0;
    private static final double STEP = 1e-4;

    /**
     * @param estimate        the parameters, in the model's order
     * @param logLikelihood   the maximised log-likelihood
     * @param evaluations     log-likelihood evaluations by the optimiser
     * @param standardErrors  asymptotic standard errors (NaN when the Hessian is unusable)
     * @param converged       false when a warning below says why the estimate is doubtful
     */
    record Result(double[] estimate, double logLikelihood, int evaluations, double[] standardErrors,
                  boolean converged, List<String> warnings, double[][] hessian, double[] gradient) {
    }

    private Mle() {
    }

    static Result maximise(ToDoubleFunction<double[]> logLik, double[] start, double[] scale, String[] names,
                           int maxEvaluations) {
        return maximise(logLik, start, scale, names, maxEvaluations, 0.5);
    }

    /**
     * @param initialRadius BOBYQA's first trust-region radius in log-parameter units: 0.5 from a rough start,
     *                      smaller from a start already close to the optimum (e.g. the fit of a subsample)
     */
    static Result maximise(ToDoubleFunction<double[]> logLik, double[] start, double[] scale, String[] names,
                           int maxEvaluations, double initialRadius) {
        int n = start.length;
        double[] lo = new double[n];
        double[] hi = new double[n];
        double[] x0 = new double[n];
        for (int i = 0; i < n; i++) {
            lo[i] = -BOUND;
            hi[i] = BOUND;
            x0[i] = Math.max(-BOUND + 1, Math.min(BOUND - 1, Math.log(start[i] / scale[i])));
        }
        ToDoubleFunction<double[]> negLogLik = theta -> {
            double ll = logLik.applyAsDouble(toNatural(theta, scale));
            return Double.isFinite(ll) ? -ll : Double.MAX_VALUE / 4;
        };
        BOBYQAOptimizer optimizer = new BOBYQAOptimizer((n + 1) * (n + 2) / 2, initialRadius, 1e-7);
        PointValuePair best;
        try {
            best = optimizer.optimize(new MaxEval(maxEvaluations),
                    new ObjectiveFunction(negLogLik::applyAsDouble), GoalType.MINIMIZE,
                    new InitialGuess(x0), new SimpleBounds(lo, hi));
        } catch (MathIllegalStateException e) {
            throw new NonConvergenceException("the optimiser did not converge within " + maxEvaluations
                    + " evaluations: " + e.getMessage(), e);
        }
        double[] theta = best.getPoint();
        double[] estimate = toNatural(theta, scale);
        double ll = -best.getValue();
        if (!Double.isFinite(ll) || -ll >= Double.MAX_VALUE / 8) {
            throw new NonConvergenceException("the log-likelihood is not finite at the optimum " + Arrays.toString(estimate));
        }
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (theta[i] < -BOUND + 1e-3 || theta[i] > BOUND - 1e-3) {
                warnings.add(names[i] + " ran to the edge of its range (" + estimate[i]
                        + "): the data do not identify it");
            }
        }
        double[] se = new double[n];
        Arrays.fill(se, Double.NaN);
        double[][] hess = new double[n][n];
        double[] grad = new double[n];
        checkOptimum(negLogLik, theta, best.getValue(), estimate, names, se, warnings, hess, grad);
        return new Result(estimate, ll, optimizer.getEvaluations(), se, warnings.isEmpty(), List.copyOf(warnings),
                hess, grad);
    }

    /**
     * Checks the optimum over a subset of the parameters only (the others held at their estimates), from the
     * Hessian of a full result: for models whose remaining parameters run off along a ridge that leaves the
     * predictions unchanged. Returns standard errors for the subset (NaN elsewhere), or null when the subset is not
     * at a proper maximum either.
     */
    static double[] checkSubset(Result res, int[] subset) {
        int k = subset.length;
        double[][] h = new double[k][k];
        double[] g = new double[k];
        for (int i = 0; i < k; i++) {
            g[i] = res.gradient()[subset[i]];
            for (int j = 0; j < k; j++) h[i][j] = res.hessian()[subset[i]][subset[j]];
        }
        RealMatrix cov;
        try {
            cov = new CholeskyDecomposition(MatrixUtils.createRealMatrix(h), 1e-12, 1e-14).getSolver().getInverse();
        } catch (MathRuntimeException e) {
            return null;
        }
        double[] step = cov.operate(g);
        double[] se = new double[res.estimate().length];
        Arrays.fill(se, Double.NaN);
        for (int i = 0; i < k; i++) {
            if (Math.abs(step[i]) > 1e-3) return null;
            se[subset[i]] = res.estimate()[subset[i]] * Math.sqrt(cov.getEntry(i, i));
        }
        return se;
    }

    /** Fills standard errors from the Hessian; warns when the point is not a proper maximum. */
    private static void checkOptimum(ToDoubleFunction<double[]> f, double[] theta, double f0, double[] estimate,
                                     String[] names, double[] se, List<String> warnings, double[][] hess,
                                     double[] grad) {
        int n = theta.length;
        double h = STEP;
        double[] plus = new double[n];
        double[] minus = new double[n];
        for (int i = 0; i < n; i++) {
            plus[i] = f.applyAsDouble(shift(theta, i, h, -1, 0));
            minus[i] = f.applyAsDouble(shift(theta, i, -h, -1, 0));
            grad[i] = (plus[i] - minus[i]) / (2 * h);
            hess[i][i] = (plus[i] - 2 * f0 + minus[i]) / (h * h);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double pp = f.applyAsDouble(shift(theta, i, h, j, h));
                double pm = f.applyAsDouble(shift(theta, i, h, j, -h));
                double mp = f.applyAsDouble(shift(theta, i, -h, j, h));
                double mm = f.applyAsDouble(shift(theta, i, -h, j, -h));
                hess[i][j] = hess[j][i] = (pp - pm - mp + mm) / (4 * h * h);
            }
        }
        RealMatrix cov;
        try {
            cov = new CholeskyDecomposition(MatrixUtils.createRealMatrix(hess), 1e-12, 1e-14).getSolver().getInverse();
        } catch (MathRuntimeException e) {
            warnings.add("the log-likelihood is not curved downwards at the estimate (Hessian not negative "
                    + "definite): the estimate is not a proper maximum and has no standard errors");
            return;
        }
        double[] step = cov.operate(grad);
        for (int i = 0; i < n; i++) {
            se[i] = estimate[i] * Math.sqrt(cov.getEntry(i, i));
            if (Math.abs(step[i]) > 1e-3) {
                warnings.add(names[i] + " is not at the maximum (a Newton step would move log " + names[i]
                        + " by " + step[i] + ")");
            }
        }
    }

    private static double[] shift(double[] theta, int i, double hi, int j, double hj) {
        double[] t = theta.clone();
        t[i] += hi;
        if (j >= 0) t[j] += hj;
        return t;
    }

    private static double[] toNatural(double[] theta, double[] scale) {
        double[] p = new double[theta.length];
        for (int i = 0; i < p.length; i++) p[i] = scale[i] * Math.exp(theta[i]);
        return p;
    }
}
