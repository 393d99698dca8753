package dev.caravan.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.caravan.customer.Customer;
import dev.caravan.messaging.template.MessageTemplate;
import org.springframework.stereotype.Component;

/**
 * The variables a template sees: the caller's params at top level ({@code coupon.code}, {@code products},
 * {@code order.id}...), plus {@code customer.*}, {@code shop.*}, {@code unsubscribeUrl}, {@code message.id} and the
 * variables of other features ({@link TemplateVariables}, e.g. {@code loyalty.*}), which params cannot override.
 */
@Component
class RenderContexts {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RenderContexts.class);

    private final MessagingProperties props;
    private final java.util.List<TemplateVariables> variables;

    RenderContexts(MessagingProperties props, java.util.List<TemplateVariables> variables) {
        this.props = props;
        this.variables = variables;
    }

    /** Variables other features add ({@link TemplateVariables}); a failing source is left out, never the message. */
    void addFeatureVariables(Map<String, Object> ctx, String customerId) {
        for (TemplateVariables v : variables) {
            try {
                Object value = customerId == null ? v.sample() : v.forCustomer(customerId);
                if (value != null) ctx.put(v.name(), value);
            } catch (RuntimeException e) {
                log.warn("Template variable '{}' for customer {} failed: {}", v.name(), customerId, e.toString());
            }
        }
    }

    /**
     * As {@link #addFeatureVariables(Map, String)} for a message being sent: only the variables whose name appears in
     * the template's text are computed (each costs a read; a template that never names {@code loyalty} does not need
     * it), and the customer document already read is passed along.
     */
    private void addFeatureVariables(Map<String, Object> ctx, Customer c, MessageTemplate used) {
        for (TemplateVariables v : variables) {
            if (used != null && used.source() != null && !used.source().contains(v.name())) {
                ctx.remove(v.name()); // params cannot stand in for a feature variable, used or not
                continue;
            }
            try {
                Object value = v.forCustomer(c);
                if (value != null) ctx.put(v.name(), value);
            } catch (RuntimeException e) {
                log.warn("Template variable '{}' for customer {} failed: {}", v.name(), c.getId(), e.toString());
            }
        }
    }

    Map<String, Object> of(Customer c, Map<String, Object> params, String messageId, String unsubscribeToken) {
        return of(c, params, messageId, unsubscribeToken, null);
    }

    /** @param used the template being rendered: feature variables it never names are left out (null: all) */
    Map<String, Object> of(Customer c, Map<String, Object> params, String messageId, String unsubscribeToken,
                           MessageTemplate used) {
        Map<String, Object> ctx = new LinkedHashMap<>(params == null ? Map.of() : params);
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", c.getId());
        String first = c.getFirstName();
        if ((first == null || first.isBlank()) && c.getDisplayName() != null && !c.getDisplayName().isBlank()
                && !c.getDisplayName().contains("@")) {
            first = c.getDisplayName().trim().split("\\s+")[0];
        }
        customer.put("firstName", first);
        customer.put("lastName", c.getLastName());
        customer.put("name", c.name());
        customer.put("email", c.getEmails().isEmpty() ? null : c.getEmails().get(0));
        customer.put("country", c.getCountry());
        customer.put("language", c.getLanguage());
        customer.put("tier", c.getTier());
        customer.put("level", c.getLevel());
        ctx.put("customer", customer);
        addFeatureVariables(ctx, c, used);
        Map<String, Object> shop = new LinkedHashMap<>();
        shop.put("name", props.shop().name());
        shop.put("url", props.shop().url());
        shop.put("supportEmail", props.shop().supportEmail());
        ctx.put("shop", shop);
        ctx.put("unsubscribeUrl", unsubscribeUrl(unsubscribeToken));
        ctx.put("message", Map.of("id", messageId == null ? "" : messageId));
        return ctx;
    }

    String unsubscribeUrl(String token) {
        String base = props.publicBaseUrl().endsWith("/") ? props.publicBaseUrl().substring(0, props.publicBaseUrl().length() - 1)
                : props.publicBaseUrl();
        return base + "/u/" + (token == null ? "preview" : token);
    }
}
