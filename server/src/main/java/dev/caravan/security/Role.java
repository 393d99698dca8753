package dev.caravan.security;

/**
 * The roles a user or API key can hold. The permission matrix per endpoint is in docs/SECURITY.md;
 * INGEST is meant for machines (API keys) that only send events and imports.
 */
public enum Role {
    ADMIN, MARKETER, ANALYST, SUPPORT, INGEST;

    public String authority() {
        return "ROLE_" + name();
    }
}
