package dev.caravan.analytics;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import dev.caravan.test.TestApi;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Imports CDNOW purchases as Caravan orders (platform "cdnow", USD, at noon UTC) through the import API. */
final class CdnowOrders {

    private CdnowOrders() {
    }

    static void importSample(TestApi api) {
        importPurchases(api, Cdnow.sample(), "cdnow");
    }

    static void importPurchases(TestApi api, Map<String, Cdnow.Purchases> customers, String platform) {
        StringBuilder csv = new StringBuilder("platform,order_id,buyer_id,placed_at,currency,total\n");
        customers.forEach((id, p) -> {
            for (int i = 0; i < p.days().length; i++) {
                csv.append(platform).append(',').append(id).append('-').append(i).append(',').append(id).append(',')
                        .append(LocalDate.ofEpochDay(p.days()[i])).append("T12:00:00Z,USD,")
                        .append(String.format(java.util.Locale.ROOT, "%.2f", p.values()[i])).append('\n');
            }
        });
        JsonNode job = api.admin().post().uri("/api/v1/imports?kind=orders").contentType(MediaType.valueOf("text/csv"))
                .body(csv.toString()).retrieve().body(JsonNode.class);
        String id = job.get("jobId").asString();
        JsonNode done = api.awaitJson(api.admin(), "/api/v1/imports/" + id,
                j -> j.get("state").asString().equals("SUCCEEDED") || j.get("state").asString().equals("FAILED"),
                Duration.ofMinutes(3));
        if (!done.get("state").asString().equals("SUCCEEDED") || done.get("rowsRejected").asLong() > 0) {
            throw new AssertionError("import failed: " + done);
        }
    }
}
