package dev.caravan.common.store;

import java.util.List;

/**
 * Hand-written converters a feature registers with the store mapping (for hot write paths where reflective
 * mapping costs too much). Declare a bean of this type; {@link StoreConversionsConfiguration} collects them all.
 */
public record StoreConverters(List<?> converters) {
}
