package dev.caravan.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.PageResponse;
import dev.caravan.messaging.MessageController;
import dev.caravan.messaging.MessageView;
import dev.caravan.messaging.TemplateController;
import dev.caravan.messaging.template.RenderedMessage;
import dev.caravan.messaging.template.TemplateStore;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The outbox and its states (queued, deferred, failed/dead letters with retry, suppressed), and templates. */
@Controller
@Hidden
@RequestMapping("/messages")
class MessagesPages {

    /** Tabs of the message list and the status each shows ({@code null}: every status). */
    static final Map<String, String> VIEWS = new LinkedHashMap<>();

    static {
        VIEWS.put("all", null);
        VIEWS.put("queued", "queued");
        VIEWS.put("deferred", "deferred");
        VIEWS.put("failed", "failed");
        VIEWS.put("suppressed", "suppressed");
        VIEWS.put("sent", "sent");
        VIEWS.put("bounced", "bounced");
    }

    private final MessageController messages;
    private final TemplateController templates;
    private final JsonMapper json;

    MessagesPages(MessageController messages, TemplateController templates, JsonMapper json) {
        this.messages = messages;
        this.templates = templates;
        this.json = json;
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "all") String view, @RequestParam(required = false) String channel,
                @RequestParam(defaultValue = "0") int page, Model model) {
        String v = VIEWS.containsKey(view) ? view : "all";
        String ch = channel == null || channel.isBlank() ? null : channel;
        Section<PageResponse<MessageView>> list = Section.load(() -> "failed".equals(v)
                ? messages.deadLetters(ch, Math.max(0, page), 50)
                : messages.list(null, ch, VIEWS.get(v), null, null, null, Math.max(0, page), 50));
        model.addAttribute("views", VIEWS.keySet());
        model.addAttribute("view", v);
        model.addAttribute("channel", ch);
        model.addAttribute("channels", CustomersController.CHANNELS);
        model.addAttribute("list", list);
        model.addAttribute("url", "/messages?view=" + v + (ch == null ? "" : "&channel=" + ch));
        return "console/messages/list";
    }

    @GetMapping("/{id}")
    String message(@PathVariable String id, Model model) {
        model.addAttribute("m", messages.get(id));
        return "console/messages/message";
    }

    @PostMapping("/{id}/retry")
    String retry(@PathVariable String id, HttpServletRequest request, Model model, RedirectAttributes redirect) {
        MessageView m = messages.retry(id, Auth.current());
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        if (Htmx.isHtmx(request)) {
            model.addAttribute("m", m);
            return "console/messages/list :: row";
        }
        redirect.addFlashAttribute("flash", fmt.msg("messages.retried", id));
        return "redirect:/messages/" + id;
    }

    // ---- templates ----

    /** Templates grouped by name, then channel, with the languages each exists in. */
    @GetMapping("/templates")
    String templateList(Model model) {
        List<TemplateStore.TemplateInfo> all = templates.list();
        Map<String, Map<String, List<TemplateStore.TemplateInfo>>> grouped = new TreeMap<>();
        for (TemplateStore.TemplateInfo t : all) {
            grouped.computeIfAbsent(t.name(), k -> new TreeMap<>())
                    .computeIfAbsent(t.channel(), k -> new java.util.ArrayList<>()).add(t);
        }
        model.addAttribute("grouped", grouped);
        return "console/messages/templates";
    }

    @GetMapping("/templates/{name}/{channel}/{language}")
    String template(@PathVariable String name, @PathVariable String channel, @PathVariable String language, Model model) {
        TemplateController.TemplateView t = templates.get(name, channel, language);
        fillTemplate(model, t, t.source(), null, List.of());
        return "console/messages/template";
    }

    private void fillTemplate(Model model, TemplateController.TemplateView t, String source, String problem,
                              List<dev.caravan.common.web.FieldError> errors) {
        model.addAttribute("t", t);
        model.addAttribute("source", source);
        model.addAttribute("versions", Section.load(() -> templates.versions(t.name(), t.channel(), t.language())));
        model.addAttribute("siblings", templates.list().stream().filter(x -> x.name().equals(t.name())).toList());
        model.addAttribute("problem", problem);
        model.addAttribute("errors", errors);
    }

    @PostMapping("/templates/{name}/{channel}/{language}")
    String saveTemplate(@PathVariable String name, @PathVariable String channel, @PathVariable String language,
                        @RequestParam String source, @RequestParam(required = false) String comment, Model model,
                        RedirectAttributes redirect) {
        try {
            templates.put(name, channel, language, source.replace("\r\n", "\n"),
                    comment == null || comment.isBlank() ? null : comment, Auth.current());
        } catch (BadRequestException e) {
            fillTemplate(model, templates.get(name, channel, language), source, e.getMessage(), e.errors());
            return "console/messages/template";
        }
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("messages.templateSaved"));
        return "redirect:/messages/templates/" + name + "/" + channel + "/" + language;
    }

    @PostMapping("/templates/{name}/{channel}/{language}/activate")
    String activateTemplate(@PathVariable String name, @PathVariable String channel, @PathVariable String language,
                            @RequestParam int version, Model model, RedirectAttributes redirect) {
        templates.activate(name, channel, language, new TemplateController.ActivateRequest(version), Auth.current());
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("messages.templateActivated", version));
        return "redirect:/messages/templates/" + name + "/" + channel + "/" + language;
    }

    /** Renders the draft in the editor for a customer (by id) or with the sample parameters (JSON). */
    @PostMapping("/templates/{name}/{channel}/{language}/preview")
    String preview(@PathVariable String name, @PathVariable String channel, @PathVariable String language,
                   @RequestParam(required = false) String source, @RequestParam(required = false) String customerId,
                   @RequestParam(required = false) String params, Model model) {
        Map<String, Object> p = Map.of();
        if (params != null && !params.isBlank()) {
            try {
                p = json.readValue(params, new TypeReference<Map<String, Object>>() { });
            } catch (RuntimeException e) {
                throw new BadRequestException("the sample parameters are not a JSON object: " + e.getMessage());
            }
        }
        RenderedMessage r = templates.preview(name, channel, language, new TemplateController.PreviewRequest(
                customerId == null || customerId.isBlank() ? null : customerId.trim(), p,
                source == null || source.isBlank() ? null : source.replace("\r\n", "\n")));
        model.addAttribute("r", r);
        return "console/messages/template :: preview";
    }
}
