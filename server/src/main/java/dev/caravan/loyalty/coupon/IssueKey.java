package dev.caravan.loyalty.coupon;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * The idempotency key of an issue request ({@code _id}) and the code it drew: claimed before the code is written,
 * so a retried journey step, campaign send or points redemption gets the same code.
 */
@Document("coupon_issue_keys")
record IssueKey(@MongoId(FieldType.STRING) String key, String code, String customerId, Instant at) {
}
