package dev.caravan.campaign;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.caravan.common.store.ByIds;
import dev.caravan.customer.Customer;
import dev.caravan.messaging.IdempotencyKeys;
import dev.caravan.messaging.MessageService;
import dev.caravan.messaging.SendCheck;
import dev.caravan.messaging.SendRequest;
import dev.caravan.segment.SegmentService;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * What a launch would send, per channel per day, without storing or sending anything: the audience and its
 * suppressions as at launch, each recipient's due time, the messaging checks ({@link MessageService#check}: consent,
 * policy, cap, quiet hours) per channel in order, and the throttle spreading the sends.
 */
@Component
class DryRun {

    record Day(LocalDate date, Map<String, Long> channels, long total) {
    }

    /**
     * @param sampled true when the audience was larger than {@code dry-run-exact-limit}: the figures are those of an
     *                even sample, scaled up
     */
    record Result(long audience, long eligible, Map<String, Long> suppressed, Map<String, Long> unreachable,
                  Map<String, Long> perChannel, Map<String, Long> perVariant, List<Day> days, boolean sampled,
                  long checked, String zone) {
    }

    private final MongoTemplate mongo;
    private final SegmentService segments;
    private final Suppressions suppressions;
    private final MessageService messages;
    private final Audience audience;
    private final CampaignProperties props;
    private final Clock clock;

    DryRun(MongoTemplate mongo, SegmentService segments, Suppressions suppressions, MessageService messages,
           Audience audience, CampaignProperties props, Clock clock) {
        this.mongo = mongo;
        this.segments = segments;
        this.suppressions = suppressions;
        this.messages = messages;
        this.audience = audience;
        this.props = props;
        this.clock = clock;
    }

    private record Planned(Instant at, String channel) {
    }

    Result run(Campaign c) {
        Instant now = clock.instant();
        ZoneId reportZone = ZoneId.of(props.reportZone());
        List<String> ids = segments.audience(c.segmentId);
        Suppressions.Result excluded = suppressions.apply(c, ids, now);
        Map<String, Long> suppressed = new TreeMap<>();
        excluded.reasons().values().forEach(r -> suppressed.merge(r, 1L, Long::sum));
        List<String> eligible = ids.stream().filter(id -> !excluded.reasons().containsKey(id)).toList();
        double keep = eligible.size() <= props.dryRunExactLimit() ? 1.0 : (double) props.dryRunExactLimit() / eligible.size();
        List<String> checked = keep >= 1.0 ? eligible
                : eligible.stream().filter(id -> Audience.bucket(c.id, id, "dry-run") < keep).toList();
        Map<String, Long> unreachable = new TreeMap<>();
        Map<String, Long> perVariant = new TreeMap<>();
        List<Planned> planned = new ArrayList<>();
        for (Customer cust : ByIds.find(mongo, checked, Customer.class)) {
            ZoneId zone = audience.zoneOf(cust);
            Instant due;
            String variant;
            if (c.abTest() && Audience.bucket(c.id, cust.getId(), "test") >= c.testShare) {
                variant = "rest (winner)";
                due = Audience.due(c.schedule, zone, Audience.due(c.schedule, zone, now).plus(c.testWindow));
            } else {
                variant = c.abTest() ? Audience.variant(c.id, cust.getId(), c.variants) : "main";
                due = Audience.due(c.schedule, zone, now);
            }
            perVariant.merge(variant, 1L, Long::sum);
            Campaign.VariantSpec v = c.variants.stream().filter(x -> x.id().equals(variant)).findFirst().orElse(c.variants.get(0));
            String template = Audience.template(v.templates(), cust.getLanguage());
            String lastReason = null;
            boolean any = false;
            for (String channel : c.channels) {
                SendCheck check;
                try {
                    check = messages.check(SendRequest.builder().customerId(cust.getId()).channel(channel).template(template)
                            .purpose("marketing").params(v.params()).campaignId(c.id)
                            .idempotencyKey(IdempotencyKeys.campaign(cust.getId(), c.id, channel)).build());
                } catch (RuntimeException e) {
                    lastReason = "no_template";
                    continue;
                }
                // deferred now (quiet hours, cap) still goes later: at the due time or when the deferral ends
                if (!check.allowed() && !"defer".equals(check.outcome())) {
                    lastReason = check.reason() == null ? "suppressed" : check.reason().code();
                    continue;
                }
                Instant at = check.deferUntil() != null && check.deferUntil().isAfter(due) ? check.deferUntil() : due;
                planned.add(new Planned(at, channel));
                any = true;
                if ("first".equals(c.channelMode)) break;
            }
            if (!any) unreachable.merge(lastReason == null ? "unreachable" : lastReason, 1L, Long::sum);
        }
        planned.sort(Comparator.comparing(Planned::at));
        if (c.perHour != null) {
            Duration gap = Duration.ofMillis(Math.max(1, 3_600_000L / c.perHour));
            Instant next = null;
            for (int i = 0; i < planned.size(); i++) {
                Planned p = planned.get(i);
                Instant at = next == null || p.at().isAfter(next) ? p.at() : next;
                planned.set(i, new Planned(at, p.channel()));
                next = at.plus(gap);
            }
        }
        double scale = checked.isEmpty() ? 0 : (double) eligible.size() / checked.size();
        Map<LocalDate, Map<String, Long>> days = new TreeMap<>();
        Map<String, Long> perChannel = new TreeMap<>();
        planned.forEach(p -> days.computeIfAbsent(LocalDate.ofInstant(p.at(), reportZone), d -> new TreeMap<>())
                .merge(p.channel(), 1L, Long::sum));
        List<Day> dayList = new ArrayList<>();
        days.forEach((d, m) -> {
            Map<String, Long> scaled = new TreeMap<>();
            m.forEach((ch, n) -> scaled.put(ch, Math.round(n * scale)));
            scaled.forEach((ch, n) -> perChannel.merge(ch, n, Long::sum));
            dayList.add(new Day(d, scaled, scaled.values().stream().mapToLong(Long::longValue).sum()));
        });
        unreachable.replaceAll((k, n) -> Math.round(n * scale));
        perVariant.replaceAll((k, n) -> Math.round(n * scale));
        return new Result(ids.size(), eligible.size(), suppressed, unreachable, perChannel, perVariant, dayList,
                keep < 1.0, checked.size(), reportZone.getId());
    }
}
