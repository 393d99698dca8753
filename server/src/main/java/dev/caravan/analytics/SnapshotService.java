package dev.caravan.analytics;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.caravan.analytics.ReportData.CustomerRow;
import dev.caravan.common.web.BadRequestException;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Daily counts of customers per tier, lifecycle, level and tag ("segments" as the rules write them), so the
 * console can chart trends. One document per day ({@code _id} = the date), replaced when taken again that day.
 */
@Service
public class SnapshotService {

    /** One day's sizes. */
    @Document("analytics_snapshots")
    public record Snapshot(@MongoId(FieldType.STRING) String date, Instant takenAt, long customers, long buyers, Map<String, Long> tiers,
                           Map<String, Long> lifecycles, Map<String, Long> levels, Map<String, Long> tags,
                           Double meanPAlive, Double totalClv) {
    }

    private final MongoTemplate mongo;
    private final ReportData data;
    private final Clock clock;
    private final ZoneId zone;

    public SnapshotService(MongoTemplate mongo, ReportData data, Clock clock, AnalyticsProperties props) {
        this.mongo = mongo;
        this.data = data;
        this.clock = clock;
        this.zone = ZoneId.of(props.zone());
    }

    @Scheduled(cron = "${caravan.analytics.snapshot-cron:0 5 0 * * *}")
    @SchedulerLock(name = "analytics-snapshot")
    void daily() {
        take();
    }

    /** Takes (or retakes) today's snapshot from fresh data. */
    public Snapshot take() {
        data.invalidate();
        List<CustomerRow> customers = data.customers();
        Map<String, Long> tiers = new TreeMap<>();
        Map<String, Long> lifecycles = new TreeMap<>();
        Map<String, Long> levels = new TreeMap<>();
        Map<String, Long> tags = new TreeMap<>();
        long buyers = 0;
        double pAlive = 0;
        long scored = 0;
        double clv = 0;
        for (CustomerRow c : customers) {
            tiers.merge(c.tier() == null ? "none" : c.tier(), 1L, Long::sum);
            lifecycles.merge(c.lifecycle() == null ? "none" : c.lifecycle(), 1L, Long::sum);
            levels.merge(c.level() == null ? "none" : c.level(), 1L, Long::sum);
            c.tags().forEach(t -> tags.merge(t, 1L, Long::sum));
            if (c.orderCount() > 0) buyers++;
            if (c.pAlive() != null) {
                pAlive += c.pAlive();
                scored++;
            }
            if (c.clv() != null) clv += c.clv();
        }
        Snapshot s = new Snapshot(LocalDate.now(clock.withZone(zone)).toString(), clock.instant(), customers.size(), buyers, tiers,
                lifecycles, levels, tags, scored == 0 ? null : pAlive / scored, scored == 0 ? null : clv);
        mongo.save(s);
        return s;
    }

    public List<Snapshot> between(LocalDate from, LocalDate to) {
        if (from != null && to != null && from.isAfter(to)) throw new BadRequestException("from must not lie after to");
        Criteria c = Criteria.where("_id");
        if (from != null) c = c.gte(from.toString());
        if (to != null) c = c.lte(to.toString());
        Query q = from == null && to == null ? new Query() : Query.query(c);
        return mongo.find(q.with(Sort.by("_id")), Snapshot.class);
    }
}
