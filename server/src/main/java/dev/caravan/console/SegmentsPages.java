package dev.caravan.console;

import java.util.List;
import java.util.Map;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.FieldError;
import dev.caravan.segment.SegmentController;
import dev.caravan.segment.SegmentService;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Segments: the list, create and edit with the condition tree as JSON (validated by the segments service, errors at
 * their path) beside the field catalog and a small form that appends leaves, preview (count, sample, warnings), the
 * live count and the members. Everything goes through {@link SegmentController}.
 */
@Controller
@Hidden
@RequestMapping("/segments")
class SegmentsPages {

    static final String EXAMPLE = """
            {"all": [
              {"field": "orders", "op": "gte", "value": 2},
              {"field": "lastOrderAt", "op": "within_days", "value": 90}
            ]}""";

    private final SegmentController segments;
    private final JsonMapper json;
    private final dev.caravan.security.Pseudonyms pseudonyms;

    private static final tools.jackson.core.type.TypeReference<dev.caravan.common.web.PageResponse<SegmentService.MemberView>> MEMBERS =
            new tools.jackson.core.type.TypeReference<>() { };

    SegmentsPages(SegmentController segments, JsonMapper json, dev.caravan.security.Pseudonyms pseudonyms) {
        this.segments = segments;
        this.pseudonyms = pseudonyms;
        this.json = json;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("segments", Section.load(segments::list));
        return "console/segments/list";
    }

    @GetMapping("/new")
    String create(Model model) {
        fillForm(model, null, "", "", EXAMPLE, null, List.of());
        return "console/segments/edit";
    }

    @GetMapping("/{id}")
    String segment(@PathVariable String id, @RequestParam(defaultValue = "0") int page, Model model) {
        SegmentService.SegmentView s = segments.get(id);
        fillForm(model, s, s.name(), s.description(), json.writerWithDefaultPrettyPrinter().writeValueAsString(s.condition()),
                null, List.of());
        model.addAttribute("members", Section.load(() -> pseudonyms.mask(segments.members(id, Math.max(0, page), 50), MEMBERS)));
        model.addAttribute("url", "/segments/" + id);
        return "console/segments/edit";
    }

    private void fillForm(Model model, SegmentService.SegmentView s, String name, String description, String condition,
                          String problem, List<FieldError> errors) {
        model.addAttribute("s", s);
        model.addAttribute("name", name);
        model.addAttribute("description", description);
        model.addAttribute("condition", condition);
        model.addAttribute("problem", problem);
        model.addAttribute("errors", errors);
        model.addAttribute("fields", Section.load(segments::fields));
    }

    /** The condition as JSON, or a 400 naming where it does not parse. */
    private JsonNode parse(String condition) {
        try {
            return json.readTree(condition == null ? "" : condition);
        } catch (RuntimeException e) {
            throw new BadRequestException("the condition is not JSON: " + e.getMessage().lines().findFirst().orElse(""),
                    List.of(new FieldError("condition", e.getMessage().lines().findFirst().orElse("not JSON"))));
        }
    }

    @PostMapping("/preview")
    String preview(@RequestParam String condition, Model model) {
        ObjectNode body = json.createObjectNode();
        body.set("condition", parse(condition));
        body.put("sample", 20);
        model.addAttribute("preview", pseudonyms.mask(segments.preview(body), SegmentService.PreviewView.class));
        return "console/segments/edit :: preview";
    }

    @PostMapping({"", "/{id}"})
    String save(@PathVariable(required = false) String id, @RequestParam String name,
                @RequestParam(required = false) String description, @RequestParam String condition, Model model,
                RedirectAttributes redirect) {
        SegmentService.SegmentView saved;
        try {
            ObjectNode body = json.createObjectNode();
            body.put("name", name);
            if (description != null && !description.isBlank()) body.put("description", description);
            body.set("condition", parse(condition));
            saved = id == null ? segments.create(body, Auth.current()) : segments.update(id, body, Auth.current());
        } catch (BadRequestException | ConflictException e) {
            SegmentService.SegmentView s = id == null ? null : segments.get(id);
            fillForm(model, s, name, description, condition, e.getMessage(),
                    e instanceof BadRequestException b ? b.errors() : List.of());
            if (s != null) {
                model.addAttribute("members", Section.load(() -> pseudonyms.mask(segments.members(id, 0, 50), MEMBERS)));
                model.addAttribute("url", "/segments/" + id);
            }
            return "console/segments/edit";
        }
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("segments.saved", saved.name()));
        return "redirect:/segments/" + saved.id();
    }

    /** The live count (every customer evaluated now), loaded on demand: it scans the store. */
    @PostMapping("/{id}/count")
    String count(@PathVariable String id, Model model) {
        model.addAttribute("count", segments.count(id));
        return "console/segments/edit :: count";
    }

    @PostMapping("/{id}/refresh")
    String refresh(@PathVariable String id, Model model, RedirectAttributes redirect) {
        segments.refresh(id, Auth.current());
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("segments.refreshing"));
        return "redirect:/segments/" + id;
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable String id, Model model, RedirectAttributes redirect) {
        String name = segments.get(id).name();
        segments.delete(id);
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("segments.deleted", name));
        return "redirect:/segments";
    }

    /** Field kinds → operators, for the leaf form (from the catalog). */
    static Map<String, List<String>> ops(SegmentController.FieldsView fields) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        fields.fields().forEach(f -> out.put(f.field(), f.ops()));
        return out;
    }
}
