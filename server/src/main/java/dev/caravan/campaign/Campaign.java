package dev.caravan.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/** A broadcast campaign: what to send to whom, when, and where it stands. */
@Document("campaigns")
public class Campaign {

    public static final String DRAFT = "draft", LAUNCHING = "launching", TESTING = "testing", RUNNING = "running",
            PAUSED = "paused", COMPLETED = "completed", CANCELLED = "cancelled", FAILED = "failed";

    @MongoId(FieldType.STRING)
    String id;
    String name;
    String description;
    String segmentId;
    List<String> channels;
    String channelMode;
    /** The variants ({@code main} alone without an A/B test), each with its templates per language and params. */
    List<VariantSpec> variants;
    String link;
    CampaignRequest.Schedule schedule;
    String couponDefinitionId;
    Double testShare;
    Duration testWindow;
    String metric;
    List<String> excludeSegments;
    Integer recentBuyersDays;
    boolean excludeInJourney;
    Integer perHour;
    @Indexed
    String status;
    /** Before a pause: testing or running. */
    String resumeStatus;
    String createdBy;
    Instant createdAt;
    Instant launchedAt;
    Instant testEndsAt;
    String winner;
    Instant winnerDecidedAt;
    Map<String, Double> winnerMetric;
    Instant finishedAt;
    String message;
    String launchJobId;
    /** Keys the click-tracking tokens of this campaign. */
    String secret;
    /** Throttle bucket: sends still allowed, refilled with time. */
    double tokens;
    Instant tokensAt;

    public record VariantSpec(String id, Map<String, String> templates, Map<String, Object> params, int weight) {
    }

    public String getId() { return id; }
    public String getName() { return name; }
    public String getStatus() { return status; }

    boolean abTest() {
        return testShare != null;
    }
}
