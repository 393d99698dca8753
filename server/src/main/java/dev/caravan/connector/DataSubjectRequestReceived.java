package dev.caravan.connector;

import java.time.Instant;
import java.util.List;

/**
 * Domain event: a platform asked to erase or export a customer's data. Published once per recorded
 * {@link DataSubjectRequest}; the privacy feature listens and acts (erasure is not done here).
 *
 * @param type        redact, data_request or shop_redact
 * @param customerIds Caravan customers matched by the request's platform id, e-mail or phone at arrival
 */
public record DataSubjectRequestReceived(String requestId, String platform, String storeId, String type,
                                         String platformCustomerId, String email, String phone,
                                         List<String> orderIds, List<String> customerIds, Instant receivedAt) {
}
