package dev.caravan.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxDiffChars longest diff kept in one entry (larger diffs are cut and marked)
 * @param maxPageSize  largest page {@code GET /api/v1/audit} returns
 */
@ConfigurationProperties("caravan.audit")
public record AuditProperties(@DefaultValue("200000") int maxDiffChars, @DefaultValue("500") int maxPageSize) {
}
