package dev.caravan.analytics;

import java.time.Instant;
import java.util.List;

/**
 * Message and conversion counts per journey, step, channel and A/B variant, supplied by the messaging/journeys
 * feature (which owns sends, deliveries, opens, clicks and attributed orders). Analytics only reports them; with no
 * implementation the journey report says so.
 */
public interface JourneyStatsSource {

    /**
     * @param journey     journey id (or "campaign:..." for one-off sends)
     * @param step        step id within the journey, null for one-off sends
     * @param channel     email, sms, whatsapp, ...
     * @param variant     A/B variant, null without a test
     * @param revenue     base-currency revenue of the attributed orders
     */
    record Row(String journey, String step, String channel, String variant, long sent, long delivered, long opened,
               long clicked, long converted, double revenue) {
    }

    /** Counts of messages sent in [from, to). */
    List<Row> stats(Instant from, Instant to);
}
