package dev.caravan.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxEventsPerRequest largest array {@code POST /events} accepts
 * @param maxImportSize       largest upload {@code POST /imports} accepts (as sent, i.e. compressed if gzip)
 * @param importBatchSize     records written per batch by an import
 */
@ConfigurationProperties("caravan.ingest")
public record IngestProperties(
        @DefaultValue("1000") int maxEventsPerRequest,
        @DefaultValue("512MB") DataSize maxImportSize,
        @DefaultValue("1000") int importBatchSize) {
}
