package dev.caravan.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.Map;

import dev.caravan.customer.Customer;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Date-driven triggers: every hour ({@code caravan.workflows.scan-cron}) customers whose local date is their
 * birthday get a {@code birthday} trigger, and customers in a country with a holiday today (local date, from the
 * holiday calendar) get a {@code holiday} trigger. A marker per customer and occasion ({@code journey_scans}) makes
 * each occasion trigger once, however often the scan runs.
 */
@Component
class JourneyScans {

    static final String COLLECTION = "journey_scans";

    private final MongoTemplate mongo;
    private final JourneyRuntime runtime;
    private final HolidayCalendars calendars;
    private final Clock clock;

    JourneyScans(MongoTemplate mongo, JourneyRuntime runtime, HolidayCalendars calendars, Clock clock) {
        this.mongo = mongo;
        this.runtime = runtime;
        this.calendars = calendars;
        this.clock = clock;
    }

    @Scheduled(cron = "${caravan.workflows.scan-cron:0 5 * * * *}")
    @SchedulerLock(name = "journey-scans", lockAtMostFor = "PT50M")
    void scheduled() {
        if (runtime.props.enabled()) scan();
    }

    /** Queues today's birthday and holiday triggers; returns how many were queued. */
    int scan() {
        Instant now = clock.instant();
        HolidayCalendar calendar = calendars.current();
        boolean birthdays = runtime.listensTo("birthday");
        boolean holidays = runtime.listensTo("holiday") && !calendar.holidays().isEmpty();
        if (!birthdays && !holidays) return 0;
        Query q = new Query();
        q.fields().include("country", "timezone", "birthday");
        int queued = 0;
        try (var stream = mongo.stream(q, Customer.class)) {
            for (var it = stream.iterator(); it.hasNext(); ) {
                Customer c = it.next();
                ZoneId zone = CustomerZones.of(c);
                LocalDate today = now.atZone(zone).toLocalDate();
                if (birthdays && c.getBirthday() != null && MonthDay.from(c.getBirthday()).equals(MonthDay.from(today))
                        && mark("birthday:" + today.getYear() + ":" + c.getId())) {
                    runtime.enqueue(new JourneyTrigger("birthday:" + today.getYear() + ":" + c.getId(), c.getId(), "birthday",
                            Map.of(), now, true));
                    queued++;
                }
                if (holidays && c.getCountry() != null) {
                    for (HolidayCalendar.Holiday h : calendar.on(today)) {
                        String occasion = h.occurrence(today);
                        if (h.in(c.getCountry()) && mark("holiday:" + occasion + ":" + c.getId())) {
                            runtime.enqueue(new JourneyTrigger("holiday:" + occasion + ":" + c.getId(), c.getId(), "holiday",
                                    Map.of("holiday", occasion, "holidayName", h.name(), "holidayTemplate", h.template()), now, true));
                            queued++;
                        }
                    }
                }
            }
        }
        return queued;
    }

    private boolean mark(String id) {
        try {
            mongo.getCollection(COLLECTION).insertOne(new Document("_id", id).append("at", java.util.Date.from(clock.instant())));
            return true;
        } catch (com.mongodb.MongoWriteException e) {
            if (e.getError().getCode() != 11000) throw e;
            return false;
        }
    }

    /** Markers older than two years are of no use any more; deleted nightly (the store has no TTL). */
    @Scheduled(cron = "0 40 3 * * *")
    @SchedulerLock(name = "journey-scan-markers")
    void prune() {
        mongo.remove(Query.query(Criteria.where("at").lt(java.util.Date.from(clock.instant().minus(java.time.Duration.ofDays(730))))),
                COLLECTION);
    }
}
