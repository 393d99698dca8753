package dev.caravan.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.caravan.campaign.CampaignController;
import dev.caravan.campaign.CampaignRequest;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.loyalty.coupon.CouponController;
import dev.caravan.loyalty.coupon.CouponDefinition;
import dev.caravan.messaging.TemplateController;
import dev.caravan.segment.SegmentController;
import io.swagger.v3.oas.annotations.Hidden;
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

/**
 * Broadcast campaigns: the list, a create form (segment, template, channels, schedule, an optional B variant, a coupon
 * per recipient, a throttle), the
 * dry run, statistics per variant, and launch / pause / resume / cancel. Everything goes through
 * {@link CampaignController}; its results are read as the API's JSON shapes.
 */
@Controller
@Hidden
@RequestMapping("/campaigns")
class CampaignsPages {

    static final List<String> CHANNELS = List.of("email", "whatsapp", "sms", "inbox");
    static final List<String> SCHEDULES = List.of("now", "at", "local_time");
    static final List<String> METRICS = List.of("click", "open", "conversion");

    private final CampaignController campaigns;
    private final SegmentController segments;
    private final TemplateController templates;
    private final CouponController coupons;
    private final JsonMapper json;

    CampaignsPages(CampaignController campaigns, SegmentController segments, TemplateController templates,
                   CouponController coupons, JsonMapper json) {
        this.campaigns = campaigns;
        this.segments = segments;
        this.templates = templates;
        this.coupons = coupons;
        this.json = json;
    }

    private Map<String, Object> tree(Object value) {
        return json.convertValue(value, new TypeReference<Map<String, Object>>() { });
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("campaigns", Section.load(campaigns::list));
        model.addAttribute("segmentNames", segmentNames());
        return "console/campaigns/list";
    }

    private Map<String, String> segmentNames() {
        Map<String, String> names = new LinkedHashMap<>();
        Section<List<dev.caravan.segment.SegmentService.SegmentView>> all = Section.load(segments::list);
        if (all.ok()) all.value().forEach(s -> names.put(s.id(), s.name()));
        return names;
    }

    /** The create form's values. */
    public record Form(String name, String description, String segmentId, List<String> channels, String template,
                       String templateB, String metric, String link, String scheduleType, String at, String date,
                       String time, String recentBuyersDays, Boolean excludeInJourney, String couponDefinitionId,
                       String perHour) {

        static Form empty() {
            return new Form("", "", null, List.of("email"), null, null, "click", "", "now", "", "", "10:00", "", false,
                    null, "");
        }

        CampaignRequest request() {
            Map<String, String> tpl = template == null || template.isBlank() ? null : Map.of("default", template.trim());
            CampaignRequest.AbTest ab = null;
            if (templateB != null && !templateB.isBlank()) {
                ab = new CampaignRequest.AbTest(List.of(
                        new CampaignRequest.Variant("A", tpl, null, 50),
                        new CampaignRequest.Variant("B", Map.of("default", templateB.trim()), null, 50)),
                        null, null, metric == null || metric.isBlank() ? null : metric);
            }
            Integer recent = number(recentBuyersDays, "recent buyers: a number of days");
            Integer hourly = number(perHour, "sends per hour: a whole number");
            boolean inJourney = Boolean.TRUE.equals(excludeInJourney);
            CampaignRequest.Suppression sup = recent == null && !inJourney ? null
                    : new CampaignRequest.Suppression(null, recent, inJourney);
            return new CampaignRequest(name, blank(description), blank(segmentId), channels == null ? List.of() : channels,
                    null, tpl, null, blank(link),
                    new CampaignRequest.Schedule(scheduleType, blank(at), blank(date), blank(time)),
                    blank(couponDefinitionId) == null ? null : new CampaignRequest.Coupon(blank(couponDefinitionId)),
                    ab, sup, hourly == null ? null : new CampaignRequest.Throttle(hourly));
        }

        private static Integer number(String value, String what) {
            if (value == null || value.isBlank()) return null;
            try {
                return Integer.valueOf(value.trim());
            } catch (NumberFormatException e) {
                throw new BadRequestException(what + ", not '" + value + "'");
            }
        }

        private static String blank(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }

    @GetMapping("/new")
    String create(Model model) {
        fillForm(model, Form.empty(), null, List.of());
        return "console/campaigns/new";
    }

    private void fillForm(Model model, Form form, String problem, List<dev.caravan.common.web.FieldError> errors) {
        model.addAttribute("form", form);
        model.addAttribute("problem", problem);
        model.addAttribute("errors", errors);
        model.addAttribute("segments", Section.load(segments::list));
        TreeSet<String> names = new TreeSet<>();
        Section<List<dev.caravan.messaging.template.TemplateStore.TemplateInfo>> t = Section.load(templates::list);
        if (t.ok()) t.value().forEach(x -> names.add(x.name()));
        model.addAttribute("templates", names);
        // id → "name · 10% off" for the coupon choice
        model.addAttribute("coupons", Section.load(() -> {
            Map<String, String> options = new LinkedHashMap<>();
            coupons.list(0, 200, false).content().forEach(d -> options.put(d.id(),
                    (d.name() == null ? d.id() : d.name()) + " · "
                            + CouponDefinition.display(d.kind(), d.value(), d.currency())));
            return options;
        }));
        model.addAttribute("channels", CHANNELS);
        model.addAttribute("schedules", SCHEDULES);
        model.addAttribute("metrics", METRICS);
    }

    @PostMapping
    String save(Form form, Model model, RedirectAttributes redirect) {
        CampaignController.CampaignView c;
        try {
            c = campaigns.create(form.request(), Auth.current());
        } catch (BadRequestException | ConflictException | IllegalArgumentException e) {
            fillForm(model, form, e.getMessage(), e instanceof BadRequestException b ? b.errors() : List.of());
            return "console/campaigns/new";
        }
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("campaigns.created", c.name()));
        return "redirect:/campaigns/" + c.id();
    }

    /** Dry run of the form before creating the campaign. */
    @PostMapping("/dry-run")
    String formDryRun(Form form, Model model) {
        model.addAttribute("dry", tree(campaigns.dryRun(form.request())));
        return "console/campaigns/campaign :: dryRun";
    }

    @GetMapping("/{id}")
    String campaign(@PathVariable String id, Model model) {
        CampaignController.CampaignView c = campaigns.get(id);
        model.addAttribute("c", c);
        model.addAttribute("segmentNames", segmentNames());
        Section<Map<String, Object>> stats = Section.load(() -> tree(campaigns.stats(id)));
        model.addAttribute("stats", stats);
        model.addAttribute("statRows", stats.ok() ? statRows(stats.value()) : List.of());
        return "console/campaigns/campaign";
    }

    @PostMapping("/{id}/dry-run")
    String dryRun(@PathVariable String id, Model model) {
        model.addAttribute("dry", tree(campaigns.dryRun(id)));
        return "console/campaigns/campaign :: dryRun";
    }

    @PostMapping("/{id}/{action:launch|pause|resume|cancel}")
    String act(@PathVariable String id, @PathVariable String action, Model model, RedirectAttributes redirect) {
        CampaignController.CampaignView c = switch (action) {
            case "launch" -> campaigns.launch(id, Auth.current());
            case "pause" -> campaigns.pause(id);
            case "resume" -> campaigns.resume(id);
            default -> campaigns.cancel(id);
        };
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("campaigns.nowStatus", fmt.label("campaignStatus", c.status())));
        return "redirect:/campaigns/" + id;
    }

    /** The variants' rows of the statistics (total last). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statRows(Map<String, Object> stats) {
        List<Map<String, Object>> rows = new ArrayList<>((List<Map<String, Object>>) stats.getOrDefault("variants", List.of()));
        if (stats.get("total") != null) rows.add((Map<String, Object>) stats.get("total"));
        return rows;
    }
}
