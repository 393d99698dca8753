package dev.caravan.loyalty.coupon;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.PageResponse;
import dev.caravan.money.ExchangeRateService;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/**
 * Per-definition statistics, revenue by issuer (journey, campaign, points...), code listings and CSV export. These
 * read every code of a definition (a scan of {@code coupon_codes} on the embedded store): reports, not hot paths.
 * Figures are computed from the codes and uses themselves, so they are exact.
 */
@Service
public class CouponReports {

    static final List<String> STATUSES = List.of(CouponCode.AVAILABLE, CouponCode.ISSUED, CouponCode.REDEEMED,
            CouponCode.VOID, CouponCode.ACTIVE);

    private final MongoTemplate mongo;
    private final CouponDefinitions definitions;
    private final ExchangeRateService rates;

    CouponReports(MongoTemplate mongo, CouponDefinitions definitions, ExchangeRateService rates) {
        this.mongo = mongo;
        this.definitions = definitions;
        this.rates = rates;
    }

    /** Totals of one definition and the same split by the issuer each code is attributed to. */
    public Map<String, Object> stats(String definitionId) {
        CouponDefinition d = definitions.get(definitionId);
        Criteria c = Criteria.where("definitionId").is(d.id());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("definitionId", d.id());
        out.put("codeMode", d.codeMode());
        out.put("baseCurrency", rates.baseCurrency());
        Tally total = new Tally(null);
        Map<String, Tally> byRef = new TreeMap<>();
        collect(c, total, byRef);
        out.putAll(total.toMap(d.shared()));
        out.put("byAttribution", byRef.values().stream().map(t -> t.toMap(d.shared())).toList());
        return out;
    }

    /** Issued and redeemed codes and revenue attributed to a journey or a campaign, over every definition. */
    public Map<String, Object> attribution(String journeyId, String campaignId) {
        if ((journeyId == null) == (campaignId == null)) {
            throw new BadRequestException("give exactly one of journeyId and campaignId");
        }
        Criteria c = journeyId != null ? Criteria.where("attribution.journeyId").is(journeyId)
                : Criteria.where("attribution.campaignId").is(campaignId);
        Tally total = new Tally(null);
        Map<String, Tally> byDefinition = new TreeMap<>();
        collectBy(c, total, byDefinition);
        Map<String, Object> out = new LinkedHashMap<>();
        if (journeyId != null) out.put("journeyId", journeyId);
        if (campaignId != null) out.put("campaignId", campaignId);
        out.put("baseCurrency", rates.baseCurrency());
        out.putAll(total.toMap(false));
        out.put("byDefinition", byDefinition.values().stream().map(t -> t.toMap(false)).toList());
        return out;
    }

    private void collect(Criteria c, Tally total, Map<String, Tally> byRef) {
        forEachCode(c, (d, ref) -> byRef.computeIfAbsent(ref, Tally::new), total);
        forEachUse(c, (d, ref) -> byRef.computeIfAbsent(ref, Tally::new), total);
    }

    private void collectBy(Criteria c, Tally total, Map<String, Tally> byDefinition) {
        forEachCode(c, (d, ref) -> byDefinition.computeIfAbsent(d, Tally::new), total);
        forEachUse(c, (d, ref) -> byDefinition.computeIfAbsent(d, Tally::new), total);
    }

    private interface Bucket {
        Tally of(String definitionId, String ref);
    }

    private void forEachCode(Criteria c, Bucket bucket, Tally total) {
        Query q = Query.query(c);
        q.fields().include("definitionId", "status", "attribution", "redemption.totalBase", "rejections.orderKey");
        try (Stream<Document> docs = mongo.stream(q, Document.class, mongo.getCollectionName(CouponCode.class))) {
            docs.forEach(doc -> {
                Document a = doc.get("attribution", Document.class);
                String ref = ref(a);
                Tally t = bucket.of(doc.getString("definitionId"), ref);
                String status = doc.getString("status");
                Document red = doc.get("redemption", Document.class);
                BigDecimal revenue = red == null ? null : decimal(red.get("totalBase"));
                int rejected = doc.getList("rejections", Object.class, List.of()).size();
                for (Tally x : List.of(total, t)) x.code(status, revenue, rejected);
            });
        }
    }

    private void forEachUse(Criteria c, Bucket bucket, Tally total) {
        Query q = Query.query(c);
        q.fields().include("definitionId", "attribution", "totalBase");
        try (Stream<Document> docs = mongo.stream(q, Document.class, mongo.getCollectionName(CouponUse.class))) {
            docs.forEach(doc -> {
                String ref = ref(doc.get("attribution", Document.class));
                Tally t = bucket.of(doc.getString("definitionId"), ref);
                BigDecimal revenue = decimal(doc.get("totalBase"));
                for (Tally x : List.of(total, t)) x.use(revenue);
            });
        }
    }

    private static String ref(Document a) {
        if (a == null) return "none";
        if (a.getString("journeyId") != null) return "journey:" + a.getString("journeyId");
        if (a.getString("campaignId") != null) return "campaign:" + a.getString("campaignId");
        return a.getString("source") == null ? "none" : a.getString("source");
    }

    private static BigDecimal decimal(Object o) {
        if (o instanceof Decimal128 d) return d.bigDecimalValue();
        if (o instanceof BigDecimal b) return b;
        if (o instanceof Number n) return new BigDecimal(n.toString());
        return null;
    }

    /** Counters of one group. */
    private static final class Tally {
        final String key;
        long codes;
        final Map<String, Long> byStatus = new LinkedHashMap<>();
        long uses;
        long rejections;
        BigDecimal revenue = BigDecimal.ZERO;

        Tally(String key) {
            this.key = key;
        }

        void code(String status, BigDecimal rev, int rejected) {
            codes++;
            byStatus.merge(status, 1L, Long::sum);
            if (rev != null) revenue = revenue.add(rev);
            rejections += rejected;
        }

        void use(BigDecimal rev) {
            uses++;
            if (rev != null) revenue = revenue.add(rev);
        }

        Map<String, Object> toMap(boolean shared) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (key != null) m.put("key", key);
            long redeemed = byStatus.getOrDefault(CouponCode.REDEEMED, 0L) + uses;
            long handedOut = byStatus.getOrDefault(CouponCode.ISSUED, 0L) + byStatus.getOrDefault(CouponCode.REDEEMED, 0L);
            if (!shared) {
                m.put("codes", codes);
                m.put("available", byStatus.getOrDefault(CouponCode.AVAILABLE, 0L));
                m.put("issued", byStatus.getOrDefault(CouponCode.ISSUED, 0L));
                m.put("void", byStatus.getOrDefault(CouponCode.VOID, 0L));
            }
            m.put("redeemed", redeemed);
            m.put("rejections", rejections);
            m.put("revenueBase", revenue);
            m.put("averageOrderBase", redeemed == 0 ? null : revenue.divide(BigDecimal.valueOf(redeemed), 2, RoundingMode.HALF_UP));
            if (!shared) {
                // of the codes handed to customers (issued or redeemed), the share redeemed; bulk codes count once used
                long base = handedOut + 0;
                m.put("redemptionRate", base == 0 ? null : BigDecimal.valueOf(byStatus.getOrDefault(CouponCode.REDEEMED, 0L))
                        .divide(BigDecimal.valueOf(base), 4, RoundingMode.HALF_UP));
            }
            return m;
        }
    }

    // ---- listing and export ----

    public PageResponse<CouponCode> codes(String definitionId, String status, int page, int size) {
        CouponDefinition d = definitions.get(definitionId);
        if (page < 0 || size < 1 || size > 1000) throw new BadRequestException("page must be >= 0 and size 1..1000");
        Query q = Query.query(criteria(d, status));
        long total = mongo.count(q, CouponCode.class);
        q.with(Sort.by("_id")).skip((long) page * size).limit(size);
        return PageResponse.of(mongo.find(q, CouponCode.class), total, page, size);
    }

    private static Criteria criteria(CouponDefinition d, String status) {
        Criteria c = Criteria.where("definitionId").is(d.id());
        if (status != null && !status.isBlank() && !status.equals("all")) {
            if (!STATUSES.contains(status)) throw new BadRequestException("status must be one of " + STATUSES + " or all");
            c = c.and("status").is(status);
        }
        return c;
    }

    public static final List<String> GENERIC_COLUMNS = List.of("code", "definition_id", "status", "kind", "value",
            "currency", "min_order", "customer_id", "issued_at", "expires_at", "journey_id", "campaign_id",
            "redeemed_order", "redeemed_at");

    /** Validates an export request before the response starts streaming. */
    public void checkExport(String definitionId, String format, String status) {
        definitions.get(definitionId);
        if (!List.of("generic", "shopify").contains(format)) {
            throw new BadRequestException("format must be generic or shopify, not '" + format + "'");
        }
        criteria(definitions.get(definitionId), status);
    }

    /**
     * Streams the codes as CSV. {@code generic}: every column; {@code shopify}: one {@code Code} column, the list the
     * Admin API's {@code discountRedeemCodeBulkAdd} (250 codes per call) or a discount-code app takes.
     */
    public void export(String definitionId, String format, String status, OutputStream out) throws IOException {
        CouponDefinition d = definitions.get(definitionId);
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        boolean shopify = format.equals("shopify");
        CSVFormat csvFormat = CSVFormat.DEFAULT.builder()
                .setHeader(shopify ? new String[]{"Code"} : GENERIC_COLUMNS.toArray(String[]::new)).get();
        Query q = Query.query(criteria(d, status)).with(Sort.by("_id"));
        try (Stream<CouponCode> codes = mongo.stream(q, CouponCode.class); CSVPrinter csv = new CSVPrinter(w, csvFormat)) {
            for (CouponCode c : (Iterable<CouponCode>) codes::iterator) {
                if (shopify) {
                    csv.printRecord(c.code());
                    continue;
                }
                Attribution a = c.attribution();
                CouponCode.Redemption r = c.redemption();
                List<Object> row = new ArrayList<>();
                row.add(c.code());
                row.add(c.definitionId());
                row.add(c.status());
                row.add(c.kind());
                row.add(c.value() == null ? null : c.value().toPlainString());
                row.add(c.currency());
                row.add(c.minOrder() == null ? null : c.minOrder().toPlainString());
                row.add(c.customerId());
                row.add(c.issuedAt());
                row.add(c.expiresAt());
                row.add(a == null ? null : a.journeyId());
                row.add(a == null ? null : a.campaignId());
                row.add(r == null ? null : r.orderKey());
                row.add(r == null ? null : r.at());
                csv.printRecord(row);
            }
        }
    }
}
