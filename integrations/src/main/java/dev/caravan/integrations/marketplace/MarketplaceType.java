package dev.caravan.integrations.marketplace;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The marketplaces Caravan connects to, with what a connection of each type needs. Settings are plain values;
 * credentials ({@link SettingField#secret()}) are kept encrypted by the server.
 */
public enum MarketplaceType {

    AMAZON("amazon", "Amazon Selling Partner API (Orders v0)",
            "One connection per seller account and marketplace; polls getOrders with LastUpdatedAfter/NextToken "
                    + "and getOrderItems, refreshes the Login-with-Amazon token, honours 429 and x-amzn-RateLimit-Limit.",
            List.of("orders"), "https://api.amazon.com/auth/o2/token",
            List.of(SettingField.required("sellerId", "Selling partner (merchant) id, e.g. A2EXAMPLE1"),
                    SettingField.required("marketplaceId", "Marketplace id, e.g. ATVPDKIKX0DER (US), A1PA6795UKMFR9 (DE), A1VC38T7YXB528 (JP)"),
                    SettingField.optional("region", "na", "SP-API region: na, eu or fe (chooses the default base URL)"),
                    SettingField.optional("fetchItems", "true", "Also call getOrderItems for each order (order lines)"),
                    SettingField.optional("pageSize", "100", "MaxResultsPerPage, 1 to 100"),
                    SettingField.secret("clientId", true, "LWA client id of the SP-API application"),
                    SettingField.secret("clientSecret", true, "LWA client secret"),
                    SettingField.secret("refreshToken", true, "LWA refresh token of the seller's authorisation"))),

    EBAY("ebay", "eBay Sell Fulfillment API (getOrders)",
            "Polls getOrders with a lastmodifieddate filter and offset/limit paging; refreshes the OAuth user token.",
            List.of("orders"), "https://api.ebay.com/identity/v1/oauth2/token",
            List.of(SettingField.required("sellerId", "eBay user id of the seller account (the store id of its orders)"),
                    SettingField.optional("pageSize", "100", "limit per page, 1 to 200"),
                    SettingField.optional("scope", "https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly",
                            "OAuth scopes requested on refresh (space separated)"),
                    SettingField.secret("clientId", true, "App id (client id) of the eBay application"),
                    SettingField.secret("clientSecret", true, "Cert id (client secret)"),
                    SettingField.secret("refreshToken", true, "User refresh token of the seller's consent"))),

    SHOPIFY("shopify", "Shopify (webhooks and REST Admin API backfill)",
            "Receives webhooks at POST /webhooks/shopify/{connectionId} verified by X-Shopify-Hmac-Sha256; backfills "
                    + "customers and orders through the REST Admin API (updated_at_min, page_info paging).",
            List.of("customers", "orders"), null,
            List.of(SettingField.required("shopDomain", "The shop's myshopify domain, e.g. acme.myshopify.com"),
                    SettingField.optional("apiVersion", "2026-07", "Admin API version used for the backfill"),
                    SettingField.optional("backfill", "true", "Poll the REST Admin API for history and missed webhooks"),
                    SettingField.optional("pageSize", "250", "limit per page, 1 to 250"),
                    SettingField.secret("webhookSecret", true, "The app's client secret, which signs webhooks"),
                    SettingField.secret("accessToken", false, "Admin API access token (needed for the backfill)"))),

    ALIEXPRESS("aliexpress", "AliExpress Open Platform (seller orders)",
            "Polls aliexpress.solution.order.get with a modified-date window and page numbers; refreshes the access "
                    + "token. No official contract is bundled: the fields assumed are listed in docs/CONNECTORS.md.",
            List.of("orders"), "https://api-sg.aliexpress.com/rest",
            List.of(SettingField.required("sellerId", "AliExpress seller (store) id, the store id of its orders"),
                    SettingField.optional("timeZone", "America/Los_Angeles", "Time zone of the API's date-times"),
                    SettingField.optional("pageSize", "50", "page_size, 1 to 50"),
                    SettingField.secret("appKey", true, "App key"),
                    SettingField.secret("appSecret", true, "App secret (signs every call)"),
                    SettingField.secret("accessToken", false, "Seller access token"),
                    SettingField.secret("refreshToken", true, "Seller refresh token")));

    private final String id;
    private final String label;
    private final String description;
    private final List<String> streams;
    private final String defaultAuthUrl;
    private final List<SettingField> fields;

    MarketplaceType(String id, String label, String description, List<String> streams, String defaultAuthUrl,
                    List<SettingField> fields) {
        this.id = id;
        this.label = label;
        this.description = description;
        this.streams = streams;
        this.defaultAuthUrl = defaultAuthUrl;
        this.fields = fields;
    }

    public String id() { return id; }
    public String label() { return label; }
    public String description() { return description; }
    /** What a sync of this type reads, in order; each stream keeps its own cursor. */
    public List<String> streams() { return streams; }
    public String defaultAuthUrl() { return defaultAuthUrl; }
    public List<SettingField> fields() { return fields; }

    public List<SettingField> settings() {
        return fields.stream().filter(f -> !f.secret()).toList();
    }

    public List<SettingField> credentials() {
        return fields.stream().filter(SettingField::secret).toList();
    }

    public Optional<SettingField> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Whether the type is polled on a schedule (Shopify only when its backfill is on). */
    public boolean polled(Map<String, String> settings) {
        return this != SHOPIFY || Boolean.parseBoolean(settings.getOrDefault("backfill", "true"));
    }

    /** The API address used when the connection sets none. */
    public String defaultBaseUrl(Map<String, String> settings) {
        switch (this) {
            case AMAZON:
                String region = settings.getOrDefault("region", "na").toLowerCase(Locale.ROOT);
                return "https://sellingpartnerapi-" + region + ".amazon.com";
            case EBAY:
                return "https://api.ebay.com";
            case SHOPIFY:
                return "https://" + settings.getOrDefault("shopDomain", "shop.myshopify.com");
            default:
                return "https://api-sg.aliexpress.com";
        }
    }

    /** The store id orders of this connection are filed under (order key platform/store/orderId). */
    public String storeId(Map<String, String> settings) {
        switch (this) {
            case AMAZON:
                return settings.get("marketplaceId");
            case SHOPIFY:
                return settings.get("shopDomain") == null ? null : settings.get("shopDomain").toLowerCase(Locale.ROOT);
            default:
                return settings.get("sellerId");
        }
    }

    /** What makes two connections the same account: one connection per seller account (and marketplace). */
    public String accountKey(Map<String, String> settings) {
        if (this == AMAZON) {
            return id + ":" + settings.get("sellerId") + ":" + settings.get("marketplaceId");
        }
        return id + ":" + storeId(settings);
    }

    public static Optional<MarketplaceType> byId(String id) {
        if (id == null) return Optional.empty();
        for (MarketplaceType t : values()) {
            if (t.id.equalsIgnoreCase(id.trim())) return Optional.of(t);
        }
        return Optional.empty();
    }
}
