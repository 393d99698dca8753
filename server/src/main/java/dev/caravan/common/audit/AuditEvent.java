package dev.caravan.common.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something an auditor must be able to see later: published by any feature with Spring's
 * {@code ApplicationEventPublisher} right after the change succeeded; the audit feature ({@code dev.caravan.audit})
 * listens and appends it to the append-only {@code audit_log}. Features never depend on the audit package.
 *
 * <p>{@code actor}, {@code remoteAddress} and {@code userAgent} may be null: the audit log then takes them from the
 * current request (the authenticated principal, the client address and {@code User-Agent}). For text changes
 * (rules, workflows, templates) put the texts before and after into {@code before}/{@code after} (name to text,
 * a missing name means "did not exist"); the audit log stores a unified diff of them, not the texts.
 *
 * @param action  dotted verb, see {@link Actions}
 * @param target  what was acted on, e.g. {@code customer:c-1}, {@code rules:v12}, {@code user:ann}
 * @param summary one line for people
 * @param details small extra facts (counts, versions, filters); no secrets, no contact data
 * @param outcome {@code success}, {@code failure} or {@code denied}
 */
public record AuditEvent(String action, String target, String summary, Map<String, Object> details,
                         Map<String, String> before, Map<String, String> after, String outcome,
                         String actor, String remoteAddress, String userAgent) {

    /** The action names the server writes today (features may add their own with the same dotted style). */
    public static final class Actions {
        public static final String LOGIN_SUCCESS = "login.success";
        public static final String LOGIN_FAILURE = "login.failure";
        public static final String LOGIN_LOCKED = "login.locked";
        public static final String USER_CREATE = "user.create";
        public static final String USER_UPDATE = "user.update";
        public static final String USER_DELETE = "user.delete";
        public static final String API_KEY_CREATE = "api-key.create";
        public static final String API_KEY_REVOKE = "api-key.revoke";
        public static final String RULES_CHANGE = "rules.change";
        public static final String RULES_ACTIVATE = "rules.activate";
        public static final String WORKFLOW_DEPLOY = "workflow.deploy";
        public static final String WORKFLOW_ROLLBACK = "workflow.rollback";
        public static final String TEMPLATE_SAVE = "template.save";
        public static final String TEMPLATE_ACTIVATE = "template.activate";
        /** A download of personal data (customer CSV/JSON export, segment export, data-subject export). */
        public static final String PERSONAL_DATA_EXPORT = "personal-data.export";
        /** A customer erased (data-subject request, Shopify customers/redact, retention job). */
        public static final String CUSTOMER_ERASE = "customer.erase";

        private Actions() {
        }
    }

    public static AuditEvent of(String action, String target, String summary) {
        return new AuditEvent(action, target, summary, Map.of(), null, null, "success", null, null, null);
    }

    /** A change of named texts (files, BPMN, templates): the log keeps the unified diff between them. */
    public static AuditEvent change(String action, String target, String summary, Map<String, String> before,
                                    Map<String, String> after) {
        return new AuditEvent(action, target, summary, Map.of(), before, after, "success", null, null, null);
    }

    /** The erasure of one customer; the data-rights feature publishes it for each erased customer. */
    public static AuditEvent erasure(String customerId, String reason) {
        return of(Actions.CUSTOMER_ERASE, "customer:" + customerId, reason == null ? "customer erased" : reason);
    }

    /** A download of personal data; {@code what} names the export, e.g. "customers csv" or "data-export". */
    public static AuditEvent personalDataExport(String target, String what, Map<String, Object> filters) {
        return of(Actions.PERSONAL_DATA_EXPORT, target, what).with(filters);
    }

    public AuditEvent with(Map<String, Object> more) {
        Map<String, Object> d = new LinkedHashMap<>(details == null ? Map.of() : details);
        if (more != null) more.forEach((k, v) -> { if (v != null) d.put(k, v); });
        return new AuditEvent(action, target, summary, d, before, after, outcome, actor, remoteAddress, userAgent);
    }

    public AuditEvent by(String actor) {
        return new AuditEvent(action, target, summary, details, before, after, outcome, actor, remoteAddress, userAgent);
    }

    public AuditEvent from(String remoteAddress, String userAgent) {
        return new AuditEvent(action, target, summary, details, before, after, outcome, actor, remoteAddress, userAgent);
    }

    public AuditEvent outcome(String outcome) {
        return new AuditEvent(action, target, summary, details, before, after, outcome, actor, remoteAddress, userAgent);
    }
}
