package dev.caravan.analytics.model;

/**
 * A numerical routine did not reach its tolerance (a series that does not converge within its term budget, an
 * optimiser that ran out of evaluations or ended on a bound). Callers report it instead of using the number.
 */
public class NonConvergenceException extends RuntimeException {

    public NonConvergenceException(String message) {
        super(message);
    }

    public NonConvergenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
