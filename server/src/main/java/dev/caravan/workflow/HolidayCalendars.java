package dev.caravan.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;

import org.bson.Document;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.data.mongodb.core.MongoTemplate;

/** The current holiday calendar: the uploaded one (in {@code journey_settings}) or the packaged {@code holidays.csv}. */
public class HolidayCalendars {

    static final String COLLECTION = "journey_settings";
    static final String ID = "holidays";

    private final MongoTemplate mongo;
    private final WorkflowProperties props;
    private volatile HolidayCalendar cached;
    private volatile long readAt;

    HolidayCalendars(MongoTemplate mongo, WorkflowProperties props) {
        this.mongo = mongo;
        this.props = props;
    }

    HolidayCalendar current() {
        if (cached == null || System.currentTimeMillis() - readAt > 60_000) {
            Document d = mongo.getCollection(COLLECTION).find(new Document("_id", ID)).first();
            cached = d == null ? packaged() : HolidayCalendar.parse(d.getString("csv"));
            readAt = System.currentTimeMillis();
        }
        return cached;
    }

    HolidayCalendar packaged() {
        Resource r = new DefaultResourceLoader().getResource(props.defaultsLocation() + "holidays.csv");
        if (!r.exists()) return HolidayCalendar.empty();
        try (InputStream in = r.getInputStream()) {
            return HolidayCalendar.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the packaged holiday calendar", e);
        }
    }

    /** Validates and stores a new calendar (CSV); throws IllegalArgumentException naming the bad row. */
    HolidayCalendar upload(String csv, String actor) {
        HolidayCalendar parsed = HolidayCalendar.parse(csv);
        mongo.getCollection(COLLECTION).replaceOne(new Document("_id", ID), new Document("_id", ID).append("csv", csv)
                .append("updatedBy", actor).append("updatedAt", new Date()), new com.mongodb.client.model.ReplaceOptions().upsert(true));
        cached = parsed;
        readAt = System.currentTimeMillis();
        return parsed;
    }
}
