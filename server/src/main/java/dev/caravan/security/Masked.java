package dev.caravan.security;

/** How secrets appear in {@code toString()}, logs and API answers: never their value, only whether one is set. */
public final class Masked {

    private Masked() {
    }

    /** {@code "****"} when set, {@code null} when not. */
    public static String of(String secret) {
        return secret == null || secret.isEmpty() ? null : "****";
    }
}
