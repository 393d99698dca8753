package dev.caravan.console;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.activity.Interaction;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.PageResponse;
import dev.caravan.customer.CustomerController;
import dev.caravan.customer.CustomerDto;
import dev.caravan.customer.CustomerPatch;
import dev.caravan.customer.MergeRecord;
import dev.caravan.customer.TimelineEntry;
import dev.caravan.messaging.ConsentController;
import dev.caravan.messaging.ConsentService;
import dev.caravan.messaging.MessageController;
import dev.caravan.messaging.MessageView;
import dev.caravan.security.Pseudonyms;
import dev.caravan.order.Order;
import dev.caravan.order.ReturnRecord;
import dev.caravan.rules.ExplainController;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Customer search, the 360 view, editing, merge/unmerge, consents and export. Every read and write goes through
 * the API controllers' methods, so each role sees and changes exactly what the API allows it.
 */
@Controller
@Hidden
@RequestMapping("/customers")
class CustomersController {

    static final int PAGE_SIZE = 25;
    static final List<String> CHANNELS = List.of("email", "whatsapp", "inbox", "amazon", "ebay");

    private final CustomerController customers;
    private final ExplainController explain;
    private final MessageController messages;
    private final ConsentController consents;
    private final JsonMapper json;
    private final dev.caravan.workflow.WorkflowController workflows;
    private final Pseudonyms pseudonyms;

    private static final TypeReference<List<TimelineEntry>> TIMELINE = new TypeReference<>() { };

    CustomersController(CustomerController customers, ExplainController explain, MessageController messages,
                        ConsentController consents, JsonMapper json, dev.caravan.workflow.WorkflowController workflows,
                        Pseudonyms pseudonyms) {
        this.workflows = workflows;
        this.pseudonyms = pseudonyms;
        this.customers = customers;
        this.explain = explain;
        this.messages = messages;
        this.consents = consents;
        this.json = json;
    }

    /** The search form's values. */
    public record Filters(String q, String identity, String tier, String tag, String country, String lifecycle,
                          String level) {

        String query() {
            UriComponentsBuilder b = UriComponentsBuilder.newInstance();
            add(b, "q", q);
            add(b, "identity", identity);
            add(b, "tier", tier);
            add(b, "tag", tag);
            add(b, "country", country);
            add(b, "lifecycle", lifecycle);
            add(b, "level", level);
            String s = b.build().encode().toUriString();
            return s.startsWith("?") ? s.substring(1) : s;
        }

        private static void add(UriComponentsBuilder b, String name, String value) {
            if (value != null && !value.isBlank()) b.queryParam(name, value.trim());
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }

        Filters clean() {
            return new Filters(blankToNull(q), blankToNull(identity), blankToNull(tier), blankToNull(tag),
                    blankToNull(country), blankToNull(lifecycle), blankToNull(level));
        }
    }

    @GetMapping
    String list(Filters filters, @RequestParam(defaultValue = "0") int page, HttpServletRequest request, Model model) {
        Filters f = filters.clean();
        model.addAttribute("filters", f);
        model.addAttribute("query", f.query());
        Section<PageResponse<CustomerDto>> result = Section.load(() -> pseudonyms.mask(customers.list(f.q(), f.identity(),
                f.tier(), f.tag(), f.country(), f.lifecycle(), f.level(), Math.max(0, page), PAGE_SIZE),
                new TypeReference<PageResponse<CustomerDto>>() { }));
        model.addAttribute("result", result);
        return Htmx.partial(request) ? "console/customers/list :: results" : "console/customers/list";
    }

    @GetMapping("/export")
    ResponseEntity<StreamingResponseBody> export(Filters filters, @RequestParam(defaultValue = "csv") String format) {
        Filters f = filters.clean();
        return customers.export(format, f.q(), f.identity(), f.tier(), f.tag(), f.country(), f.lifecycle(), f.level());
    }

    // ---- the 360 view ----

    /** A decision with the rule that made it. */
    public record Decision(String value, String file, String rule, Instant since) {
    }

    /** A change in the rule history. */
    public record Change(String field, String from, String to, String file, String rule, long version, Instant at) {
    }

    public record Explained(Decision tier, Decision lifecycle, Decision level, List<Decision> tags,
                            List<Decision> churnRisks, List<Change> history, Long version) {
    }

    public record Records<T>(long total, List<T> items) {
    }

    public record InteractionRecords(long total, long openComplaints, List<Interaction> items) {
    }

    @GetMapping("/{id}")
    String view(@PathVariable String id, Model model) {
        Map<String, Object> view = customers.get(id);
        CustomerDto customer;
        if (pseudonyms.active()) {
            view = pseudonyms.mask(view, new TypeReference<Map<String, Object>>() { });
            customer = json.convertValue(view.get("customer"), CustomerDto.class);
        } else {
            customer = (CustomerDto) view.get("customer");
        }
        model.addAttribute("c", customer);
        model.addAttribute("orders", records(view.get("orders"), new TypeReference<List<Order>>() { }));
        model.addAttribute("returns", records(view.get("returns"), new TypeReference<List<ReturnRecord>>() { }));
        JsonNode inter = json.valueToTree(view.get("interactions"));
        model.addAttribute("interactions", inter == null || inter.isNull() ? null : new InteractionRecords(
                inter.path("total").asLong(0), inter.path("openComplaints").asLong(0),
                json.convertValue(inter.path("items"), new TypeReference<List<Interaction>>() { })));
        model.addAttribute("explained", Section.load(() -> explained(json.valueToTree(explain.explain(id)))));
        model.addAttribute("messages", Section.load(() -> pseudonyms.mask(messages.list(id, null, null, null, null, null,
                0, 20), new TypeReference<PageResponse<MessageView>>() { })));
        model.addAttribute("consents", Section.load(() -> consents.get(id)));
        model.addAttribute("channels", CHANNELS);
        model.addAttribute("merges", Section.load(() -> pseudonyms.mask(customers.merges(id),
                new TypeReference<List<MergeRecord>>() { })));
        model.addAttribute("journeys", Section.load(() -> workflows.customerJourneys(id)));
        model.addAttribute("timeline", Section.load(() -> pseudonyms.mask(customers.timeline(id, null, 30), TIMELINE)));
        return "console/customers/view";
    }

    @GetMapping("/{id}/timeline")
    String timeline(@PathVariable String id, @RequestParam(required = false) String before, Model model) {
        Instant b = before == null || before.isBlank() ? null : Instant.parse(before);
        model.addAttribute("c", pseudonyms.mask((CustomerDto) customers.get(id).get("customer"), CustomerDto.class));
        model.addAttribute("timeline", Section.load(() -> pseudonyms.mask(customers.timeline(id, b, 30), TIMELINE)));
        return "console/customers/view :: timeline";
    }

    private <T> Records<T> records(Object section, TypeReference<List<T>> type) {
        if (section == null) return null;
        JsonNode node = json.valueToTree(section);
        return new Records<>(node.path("total").asLong(0), json.convertValue(node.path("items"), type));
    }

    private Explained explained(JsonNode e) {
        List<Decision> tags = new ArrayList<>();
        e.path("tags").forEach(t -> tags.add(decision(t)));
        List<Decision> risks = new ArrayList<>();
        e.path("churnRisks").forEach(t -> risks.add(decision(t)));
        List<Change> history = new ArrayList<>();
        e.path("history").forEach(h -> history.add(new Change(text(h, "field"), text(h, "from"), text(h, "to"),
                text(h, "file"), text(h, "rule"), h.path("version").asLong(0), Fmt.instant(text(h, "at")))));
        return new Explained(decision(e.path("tier")), decision(e.path("lifecycle")), decision(e.path("level")),
                tags, risks, history, e.path("version").isNumber() ? e.path("version").asLong() : null);
    }

    private static Decision decision(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        return new Decision(text(n, "value"), text(n, "file"), text(n, "rule"), Fmt.instant(text(n, "since")));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? null : v.asString();
    }

    // ---- edits ----

    /** The edit form: lists as one value per line. */
    public record EditForm(String displayName, String firstName, String lastName, String emails, String phones,
                           String country, String language, String timezone, String currency, String birthday) {

        static EditForm of(CustomerDto c) {
            return new EditForm(c.displayName(), c.firstName(), c.lastName(), String.join("\n", c.emails()),
                    String.join("\n", c.phones()), c.country(), c.language(), c.timezone(), c.currency(),
                    c.birthday() == null ? "" : c.birthday().toString());
        }

        CustomerPatch patch(List<FieldError> errors) {
            LocalDate day = null;
            if (birthday != null && !birthday.isBlank()) {
                try {
                    day = LocalDate.parse(birthday.trim());
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError("birthday", "expected a date like 1988-04-21"));
                }
            }
            return new CustomerPatch(nullIfBlank(displayName, true), nullIfBlank(firstName, true), nullIfBlank(lastName, true),
                    nullIfBlank(country, false), nullIfBlank(language, false), nullIfBlank(timezone, false),
                    nullIfBlank(currency, false), day, lines(emails), lines(phones), null);
        }

        private static String nullIfBlank(String s, boolean keepEmpty) {
            if (s == null) return null;
            return s.isBlank() ? (keepEmpty ? "" : null) : s.trim();
        }

        private static List<String> lines(String s) {
            if (s == null) return null;
            return Arrays.stream(s.split("[\\r\\n,;]+")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }
    }

    @GetMapping("/{id}/edit")
    String edit(@PathVariable String id, Model model) {
        CustomerDto c = pseudonyms.mask((CustomerDto) customers.get(id).get("customer"), CustomerDto.class);
        model.addAttribute("c", c);
        model.addAttribute("form", EditForm.of(c));
        model.addAttribute("errors", Map.of());
        return "console/customers/edit";
    }

    @PostMapping("/{id}/edit")
    String save(@PathVariable String id, EditForm form, Model model, RedirectAttributes redirect) {
        List<FieldError> errors = new ArrayList<>();
        CustomerPatch patch = form.patch(errors);
        String problem = null;
        if (errors.isEmpty()) {
            try {
                customers.patch(id, patch, Auth.current());
                Fmt fmt = (Fmt) model.getAttribute("fmt");
                redirect.addFlashAttribute("flash", fmt.msg("customers.saved"));
                return "redirect:/customers/" + id;
            } catch (BadRequestException e) {
                errors.addAll(e.errors());
                problem = e.getMessage();
            } catch (ConflictException e) {
                problem = e.getMessage();
            }
        }
        model.addAttribute("c", pseudonyms.mask((CustomerDto) customers.get(id).get("customer"), CustomerDto.class));
        model.addAttribute("form", form);
        Map<String, String> byField = new LinkedHashMap<>();
        for (FieldError e : errors) byField.merge(e.field().replaceAll("\\[\\d+]$", ""), e.message(), (a, b) -> a + "; " + b);
        model.addAttribute("errors", byField);
        model.addAttribute("problem", problem);
        return "console/customers/edit";
    }

    @PostMapping("/{id}/merge")
    String merge(@PathVariable String id, @RequestParam String otherId, @RequestParam(required = false) String reason,
                 Model model, RedirectAttributes redirect) {
        MergeRecord m = customers.merge(id, new CustomerController.MergeRequest(otherId.trim(),
                reason == null || reason.isBlank() ? null : reason.trim()), Auth.current());
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("customers.merged", m.absorbedId()));
        return "redirect:/customers/" + id;
    }

    @PostMapping("/{id}/unmerge")
    String unmerge(@PathVariable String id, @RequestParam(required = false) String mergeId, Model model,
                   RedirectAttributes redirect) {
        List<MergeRecord> undone = customers.unmerge(id, new CustomerController.UnmergeRequest(
                mergeId == null || mergeId.isBlank() ? null : mergeId), Auth.current());
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("customers.unmerged",
                String.join(", ", undone.stream().map(MergeRecord::absorbedId).toList())));
        return "redirect:/customers/" + id;
    }

    @PostMapping("/{id}/consents/{channel}")
    String consent(@PathVariable String id, @PathVariable String channel, @RequestParam boolean granted,
                   @RequestParam(defaultValue = "marketing") String purpose, Model model, RedirectAttributes redirect) {
        ConsentService.ConsentState state = consents.put(id, channel,
                new ConsentController.ConsentRequest(granted, purpose, "console"), Auth.current());
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("customers.consentSaved", fmt.label("channel", channel)));
        return "redirect:/customers/" + state.customerId() + "#consents";
    }

    /** Messages of a customer as a page, for the 360 view's "more" link. */
    PageResponse<MessageView> messagesOf(String id) {
        return messages.list(id, null, null, null, null, null, 0, 20);
    }

    static List<TimelineEntry> none() {
        return List.of();
    }
}
