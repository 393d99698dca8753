package dev.caravan.rules;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the rules feature.
 *
 * @param fullEvaluationCron      when the nightly full re-evaluation runs (Spring cron; "-" disables it)
 * @param evaluateOnActivation    start a full re-evaluation when a rule version is activated
 * @param incremental             re-evaluate changed customers in the background (seconds after a change)
 * @param workerBatch             customers the incremental worker evaluates per round
 * @param workerIdlePoll          how often the idle worker looks for queued customers written by other servers
 * @param batchSize               customers per rule session and per bulk write in full runs
 * @param maxFiringsPerCustomer   firing limit per customer; a rule set that exceeds it is looping
 * @param populationMaxAge        the incremental worker recomputes population statistics older than this
 * @param historyLimit            tier/lifecycle/level/tag history entries kept per customer
 * @param dryRunSamples           sample customer ids per transition in dry-run results
 * @param versionPoll             how often a server checks whether another server activated a version
 * @param readChunk               ids per {@code _id $in} read (the embedded store re-checks each found document
 *                                against the whole list, so long lists are quadratic there)
 */
@ConfigurationProperties("caravan.rules")
public record RulesProperties(
        @DefaultValue("0 30 3 * * *") String fullEvaluationCron,
        @DefaultValue("true") boolean evaluateOnActivation,
        @DefaultValue("true") boolean incremental,
        @DefaultValue("500") int workerBatch,
        @DefaultValue("1s") Duration workerIdlePoll,
        @DefaultValue("2000") int batchSize,
        @DefaultValue("200") int maxFiringsPerCustomer,
        @DefaultValue("1h") Duration populationMaxAge,
        @DefaultValue("100") int historyLimit,
        @DefaultValue("10") int dryRunSamples,
        @DefaultValue("10s") Duration versionPoll,
        @DefaultValue("250") int readChunk) {
}
