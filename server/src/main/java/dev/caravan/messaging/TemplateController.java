package dev.caravan.messaging;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import dev.caravan.common.audit.AuditEvent;
import dev.caravan.messaging.template.ActiveTemplate;
import dev.caravan.messaging.template.MessageTemplate;
import dev.caravan.messaging.template.RenderedMessage;
import dev.caravan.messaging.template.TemplateKey;
import dev.caravan.messaging.template.TemplateStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/messages/templates")
@Tag(name = "Message templates", description = "Template files per channel and language: bundled defaults and "
        + "versions edited at run time, with preview")
public class TemplateController {

    /** A template as the API shows it: the file text and what it declares. */
    public record TemplateView(String name, String channel, String language, int version, String origin, String purpose,
                               Map<String, String> headers, List<String> parts, String source) {
        static TemplateView of(ActiveTemplate a) {
            MessageTemplate t = a.template();
            return new TemplateView(t.key().name(), t.key().channel(), t.key().language(), a.version(), a.origin(),
                    t.purpose(), t.headers(), List.copyOf(t.parts().keySet()), t.source());
        }
    }

    /** @param source a draft to preview instead of the active version */
    public record PreviewRequest(String customerId, Map<String, Object> params, String source) {
    }

    public record ActivateRequest(Integer version) {
    }

    private final TemplateStore templates;
    private final MessageService messages;
    private final ApplicationEventPublisher events;

    TemplateController(TemplateStore templates, MessageService messages, ApplicationEventPublisher events) {
        this.templates = templates;
        this.messages = messages;
        this.events = events;
    }

    private Map<String, String> activeSource(TemplateKey key) {
        return templates.find(key).map(a -> Map.of(key.toString(), a.template().source())).orElse(Map.of());
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Every template with its active version")
    public List<TemplateStore.TemplateInfo> list() {
        return templates.list();
    }

    @GetMapping("/{name}/{channel}/{language}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "The active version of a template file")
    public TemplateView get(@PathVariable String name, @PathVariable String channel, @PathVariable String language) {
        TemplateKey key = key(name, channel, language);
        return TemplateView.of(templates.find(key).orElseThrow(() ->
                new dev.caravan.common.web.NotFoundException("template " + key + " does not exist")));
    }

    @PutMapping(value = "/{name}/{channel}/{language}", consumes = {MediaType.TEXT_PLAIN_VALUE, "text/*", MediaType.ALL_VALUE})
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Save a new version of a template file", description = "The body is the file text. It is "
            + "validated (400 with the line of each error) and becomes active at once on every server.")
    public TemplateView put(@PathVariable String name, @PathVariable String channel, @PathVariable String language,
                            @RequestBody String source, @RequestParam(required = false) String comment,
                            Principal principal) {
        TemplateKey key = key(name, channel, language);
        Map<String, String> before = activeSource(key);
        ActiveTemplate saved = templates.save(key, source, principal.getName(), comment);
        events.publishEvent(AuditEvent.change(AuditEvent.Actions.TEMPLATE_SAVE, "template:" + key,
                "saved template " + key + " version " + saved.version() + (comment == null ? "" : ": " + comment),
                before, Map.of(key.toString(), saved.template().source())).with(Map.of("version", saved.version())));
        return TemplateView.of(saved);
    }

    @GetMapping("/{name}/{channel}/{language}/versions")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Versions of a template file (0 is the bundled default)")
    public List<TemplateStore.VersionInfo> versions(@PathVariable String name, @PathVariable String channel,
                                                    @PathVariable String language) {
        return templates.versions(key(name, channel, language));
    }

    @PostMapping("/{name}/{channel}/{language}/activate")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Make an earlier version active again (0: the bundled default)")
    public TemplateView activate(@PathVariable String name, @PathVariable String channel, @PathVariable String language,
                                 @RequestBody ActivateRequest request, Principal principal) {
        if (request == null || request.version() == null) throw new IllegalArgumentException("version is required");
        TemplateKey key = key(name, channel, language);
        Map<String, String> before = activeSource(key);
        ActiveTemplate active = templates.activate(key, request.version(), principal.getName());
        events.publishEvent(AuditEvent.change(AuditEvent.Actions.TEMPLATE_ACTIVATE, "template:" + key,
                "activated template " + key + " version " + active.version(), before,
                Map.of(key.toString(), active.template().source())).with(Map.of("version", active.version())));
        return TemplateView.of(active);
    }

    @PostMapping("/{name}/{channel}/{language}/preview")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Render a template (or a draft) for a customer or with sample data",
            description = "Lists the variables the template uses that the data does not provide")
    public RenderedMessage preview(@PathVariable String name, @PathVariable String channel,
                                   @PathVariable String language, @RequestBody(required = false) PreviewRequest request) {
        TemplateKey key = key(name, channel, language);
        PreviewRequest r = request == null ? new PreviewRequest(null, Map.of(), null) : request;
        ActiveTemplate t = r.source() != null && !r.source().isBlank()
                ? new ActiveTemplate(templates.parse(key, r.source()), -1, "draft")
                : templates.find(key).orElseThrow(() -> new dev.caravan.common.web.NotFoundException(
                "template " + key + " does not exist"));
        return messages.preview(t, r.customerId(), r.params() == null ? Map.of() : r.params());
    }

    private static TemplateKey key(String name, String channel, String language) {
        return new TemplateKey(name, Channel.of(channel).id(), language);
    }
}
