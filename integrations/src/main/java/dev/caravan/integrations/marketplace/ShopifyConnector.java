package dev.caravan.integrations.marketplace;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Shopify REST Admin API backfill of {@code customers.json} and {@code orders.json} by updated_at window, paged
 * with the {@code Link: <...page_info=...>; rel="next"} header. Live changes arrive as webhooks; the backfill reads
 * history and whatever a missed webhook left out. Access tokens of custom apps do not expire, so there is no
 * refresh: a 401 ends the run until the token is replaced.
 */
final class ShopifyConnector implements MarketplaceConnector {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final Pattern PAGE_INFO = Pattern.compile("[?&]page_info=([^&]+)");

    @Override
    public MarketplaceType type() {
        return MarketplaceType.SHOPIFY;
    }

    @Override
    public HttpCall authorise(HttpCall call, SyncContext ctx) {
        return call.withHeader("X-Shopify-Access-Token", ctx.spec().requireCredential("accessToken"));
    }

    @Override
    public ReplyKind classify(HttpReply reply) {
        int s = reply.status();
        if (s >= 200 && s < 300) return ReplyKind.OK;
        if (s == 429) return ReplyKind.RATE_LIMITED;
        if (s >= 500) return ReplyKind.SERVER_ERROR;
        return ReplyKind.FAILED;
    }

    @Override
    public HttpCall pageRequest(SyncContext ctx, String stream, SyncCursor cursor) {
        ConnectionSpec s = ctx.spec();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("limit", String.valueOf(s.intSetting("pageSize", 1, 250)));
        if (cursor.page() != null) {
            q.put("page_info", cursor.page()); // with page_info Shopify accepts no other filter
        } else {
            if (stream.equals("orders")) q.put("status", "any");
            q.put("updated_at_min", AmazonConnector.ISO.format(cursor.from()));
            q.put("updated_at_max", AmazonConnector.ISO.format(cursor.until()));
            q.put("order", "updated_at asc");
        }
        return HttpCall.get(stream, s.baseUrl() + "/admin/api/" + s.setting("apiVersion") + "/" + stream + ".json", q);
    }

    @Override
    public SyncPage readPage(SyncContext ctx, String stream, SyncCursor cursor, HttpReply reply) {
        JsonNode list = Json.array(Json.parse(reply.body()), stream);
        if (list == null) throw new MalformedRecordException("the answer has no " + stream + " array");
        MarketplaceRoutes.PageBuilder page = new MarketplaceRoutes.PageBuilder();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            String ref = Json.text(n, "id") != null ? Json.text(n, "id") : "#" + i;
            try {
                if (stream.equals("orders")) page.orders.add(ShopifyPayloads.order(n, ctx.spec().storeId()));
                else page.customers.add(ShopifyPayloads.customer(n));
            } catch (MalformedRecordException e) {
                page.skip(ref, e.getMessage());
            }
        }
        String next = nextPageInfo(reply.header("Link"));
        return next != null ? page.build(stream, cursor, cursor.atPage(next), false)
                : page.build(stream, cursor, cursor.completed(), true);
    }

    static String nextPageInfo(String link) {
        if (link == null) return null;
        Matcher m = NEXT.matcher(link);
        if (!m.find()) return null;
        Matcher p = PAGE_INFO.matcher(m.group(1));
        return p.find() ? java.net.URLDecoder.decode(p.group(1), java.nio.charset.StandardCharsets.UTF_8) : null;
    }
}
