package dev.caravan.campaign;

import java.math.BigDecimal;
import java.time.Instant;

import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * One recipient of a campaign, {@code _id = campaignId:customerId}: its group and variant, when it is due, what was
 * sent and what the message reached (from messaging's status and conversion events, written by primary key).
 *
 * @param group {@code all}, {@code test} (a variant) or {@code rest} (waits for the A/B winner)
 * @param state {@code waiting} (for the winner), {@code pending}, {@code sent}, {@code suppressed} (left out by the
 *              campaign's suppression or refused by messaging: see {@code reason}), {@code failed}, {@code cancelled}
 */
@Document("campaign_sends")
@CompoundIndex(name = "campaign_due", def = "{'campaignId': 1, 'state': 1, 'dueAt': 1}")
public record CampaignSend(@MongoId(FieldType.STRING) String id, String campaignId, String customerId, String group,
                           String variant, String state, Instant dueAt, String zone, String reason, String channel,
                           String messageId, String messageStatus, Instant sentAt, Instant deliveredAt,
                           Instant openedAt, Instant clickedAt, Instant convertedAt, BigDecimal revenue) {

    static String idOf(String campaignId, String customerId) {
        return campaignId + ":" + customerId;
    }
}
