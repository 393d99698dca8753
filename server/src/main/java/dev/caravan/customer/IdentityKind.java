package dev.caravan.customer;

/** Kinds of identity key. Relay e-mails recognise one buyer but never join two customers. */
public enum IdentityKind {
    BUYER("buyer"), EMAIL("email"), PHONE("phone"), RELAY("relay");

    private final String prefix;

    IdentityKind(String prefix) {
        this.prefix = prefix;
    }

    /** The plain key; e-mail, phone and relay keys are stored hashed: use {@link ContactNormalizer#key}. */
    String key(String normalisedValue) {
        return prefix + ":" + normalisedValue;
    }

    public boolean joinsCustomers() {
        return this != RELAY;
    }
}
