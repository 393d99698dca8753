package dev.caravan.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * ANALYST sees aggregates and pseudonymised customer data: for callers whose roles give no other access to
 * customers (ANALYST without ADMIN, MARKETER or SUPPORT), JSON answers of the customer, message and
 * customer-listing report paths ({@code caravan.security.pseudonyms.masked-paths}) have names, e-mails, phones,
 * addresses, birthdays, buyer ids and recipients replaced by stable pseudonyms ({@code anon-} + 12 hex digits of an
 * HMAC-SHA256 of the value), and e-mail addresses or E.164 phone numbers inside any other text are replaced too.
 * The same person gets the same pseudonym everywhere, so lists stay joinable without revealing who it is.
 */
@ControllerAdvice
class AnalystPseudonymizer implements ResponseBodyAdvice<Object> {

    static final Set<String> CONTACT_FIELDS = Set.of("name", "firstname", "lastname", "displayname", "fullname",
            "email", "emails", "phone", "phones", "address", "addresses", "shippingaddress", "billingaddress",
            "street", "line1", "line2", "address1", "address2", "zip", "postalcode", "postcode", "birthday",
            "recipient", "buyerid", "buyeremail", "buyername", "contact");
    private static final Set<String> KEEP_INSIDE = Set.of("country", "countrycode", "platform", "store", "storeid");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("\\+\\d[\\d \\-]{6,}\\d");
    private static final Set<String> OTHER_ACCESS = Set.of("ROLE_ADMIN", "ROLE_MARKETER", "ROLE_SUPPORT");

    private final AccessProperties.Pseudonyms props;
    private final JsonMapper json;
    private final byte[] key;
    private final AntPathMatcher paths = new AntPathMatcher();

    AnalystPseudonymizer(AccessProperties props, JsonMapper json) {
        this.props = props.pseudonyms();
        this.json = json;
        if (this.props.key() != null && !this.props.key().isBlank()) {
            this.key = this.props.key().getBytes(StandardCharsets.UTF_8);
        } else {
            this.key = new byte[32];
            new SecureRandom().nextBytes(this.key);
        }
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (body == null || body instanceof ProblemDetail || body instanceof byte[] || body instanceof String
                || contentType == null || !isJson(contentType) || !analystOnly()) {
            return body;
        }
        String path = request instanceof ServletServerHttpRequest servlet ? pathOf(servlet.getServletRequest())
                : request.getURI().getPath();
        if (!matches(path)) return body;
        JsonNode tree = json.valueToTree(body);
        return scrub(tree, false);
    }

    boolean matches(String path) {
        return props.maskedPaths().stream().anyMatch(p -> paths.match(p, path))
                && props.unmaskedPaths().stream().noneMatch(p -> paths.match(p, path));
    }

    private static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private static boolean isJson(MediaType type) {
        return MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json")
                || "x-ndjson".equals(type.getSubtype());
    }

    static boolean analystOnly() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null) return false;
        boolean analyst = false;
        for (GrantedAuthority a : auth.getAuthorities()) {
            if (OTHER_ACCESS.contains(a.getAuthority())) return false;
            if ("ROLE_ANALYST".equals(a.getAuthority())) analyst = true;
        }
        return analyst;
    }

    /** Replaces contact data in place; {@code all} masks every text leaf (inside a contact field). */
    JsonNode scrub(JsonNode node, boolean all) {
        if (node == null) return null;
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            Iterator<Map.Entry<String, JsonNode>> fields = o.properties().iterator();
            java.util.List<Map.Entry<String, JsonNode>> copy = new java.util.ArrayList<>();
            fields.forEachRemaining(copy::add);
            for (Map.Entry<String, JsonNode> f : copy) {
                String k = f.getKey().toLowerCase(Locale.ROOT);
                boolean contact = all ? !KEEP_INSIDE.contains(k) : CONTACT_FIELDS.contains(k);
                o.set(f.getKey(), scrub(f.getValue(), contact));
            }
            return o;
        }
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) a.set(i, scrub(a.get(i), all));
            return a;
        }
        if (node.isString()) {
            String s = node.asString();
            return StringNode.valueOf(all ? pseudonym(s) : scrubText(s));
        }
        return node;
    }

    String scrubText(String s) {
        if (s.indexOf('@') >= 0) s = replace(EMAIL, s);
        if (s.indexOf('+') >= 0) s = replace(PHONE, s);
        return s;
    }

    private String replace(Pattern p, String s) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(pseudonym(m.group())));
        m.appendTail(out);
        return out.toString();
    }

    String pseudonym(String value) {
        if (value == null || value.isEmpty()) return value;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal(value.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "anon-" + HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
