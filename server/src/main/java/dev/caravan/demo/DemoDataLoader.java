package dev.caravan.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import dev.caravan.common.CaravanProperties;
import dev.caravan.customer.Customer;
import dev.caravan.ingest.imports.ImportService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Loads the bundled demo data through the ordinary import jobs when {@code caravan.demo} is on and the store holds
 * no customers: a sample of the UCI Online Retail data and a small multi-marketplace set in which the same buyers
 * appear on Amazon, eBay and Shopify under different ids (see server/src/main/resources/demo/README.md).
 */
@Component
class DemoDataLoader {

    private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);

    record DemoFile(String resource, String kind, String format) {
    }

    static final List<DemoFile> FILES = List.of(
            new DemoFile("demo/online-retail-sample.csv.gz", "orders", "uci-online-retail"),
            new DemoFile("demo/marketplace-customers.csv", "customers", "caravan"),
            new DemoFile("demo/marketplace-orders.csv", "orders", "caravan"));

    private final CaravanProperties props;
    private final MongoTemplate mongo;
    private final ImportService imports;

    DemoDataLoader(CaravanProperties props, MongoTemplate mongo, ImportService imports) {
        this.props = props;
        this.mongo = mongo;
        this.imports = imports;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(100)
    public void loadIfEmpty() {
        if (!props.demo() || mongo.exists(new Query(), Customer.class) || hasImports()) {
            return;
        }
        log.info("Empty store and caravan.demo=true: importing the demo data in the background");
        for (DemoFile f : FILES) {
            try (InputStream in = new ClassPathResource(f.resource()).getInputStream()) {
                imports.submit(f.kind(), f.format(), in, f.resource(), "demo");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private boolean hasImports() {
        return !imports.recent(1).isEmpty();
    }
}
