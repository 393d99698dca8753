package dev.caravan.connector;

import java.time.Instant;

import dev.caravan.security.Encrypted;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A privacy request a platform forwarded (Shopify {@code customers/redact}, {@code customers/data_request},
 * {@code shop/redact}), recorded durably when it arrives. The privacy feature acts on it (erasure, export) and
 * sets {@code status}; until then it stays {@code received}. The {@code _id} comes from the platform's delivery id,
 * so a redelivered webhook is recorded once.
 *
 * @param type        redact, data_request or shop_redact
 * @param customerIds Caravan customers found by the request's identity when it arrived
 */
@Document("data_subject_requests")
public record DataSubjectRequest(@MongoId(FieldType.STRING) String id, String platform, String storeId, String connectionId, String type,
                                 String platformCustomerId, @Encrypted String email, @Encrypted String phone, List<String> orderIds,
                                 String platformRequestId, List<String> customerIds, Instant receivedAt,
                                 String status) {
}
