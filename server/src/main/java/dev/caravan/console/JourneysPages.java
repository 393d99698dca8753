package dev.caravan.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.caravan.workflow.InvalidBpmnException;
import dev.caravan.workflow.JourneyService;
import dev.caravan.workflow.WorkflowController;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Journeys (workflows): the list with versions and live counts, each journey as its BPMN diagram (bpmn-js viewer)
 * with counts per step as overlays, the bpmn-js modeler (palette limited to the journey steps for non-admins) with
 * validate and deploy, versions with rollback, the instances with cancel, and the holiday calendar. Everything goes
 * through {@link WorkflowController}, so its role rules apply as for API callers.
 */
@Controller
@Hidden
@RequestMapping("/journeys")
class JourneysPages {

    static final List<String> STATUSES = List.of("ACTIVE", "COMPLETED", "CANCELLED", "ABORTED", "ERROR");

    /** A new journey starts from this: one start event (a trigger signal) and an end. */
    static final String NEW_JOURNEY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn2:definitions xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:drools="http://www.jboss.org/drools" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="ID-definitions" targetNamespace="https://caravan.dev/journeys">
              <bpmn2:itemDefinition id="_StringItem" structureRef="java.lang.String"/>
              <bpmn2:signal id="order_placed" name="order_placed"/>
              <bpmn2:process id="ID" name="ID" isExecutable="true" processType="Private" drools:packageName="journeys" drools:version="1">
                <bpmn2:property id="customerId" itemSubjectRef="_StringItem" name="customerId"/>
                <bpmn2:startEvent id="start" name="Order placed">
                  <bpmn2:outgoing>f1</bpmn2:outgoing>
                  <bpmn2:signalEventDefinition signalRef="order_placed"/>
                </bpmn2:startEvent>
                <bpmn2:sequenceFlow id="f1" sourceRef="start" targetRef="end"/>
                <bpmn2:endEvent id="end" name="Done">
                  <bpmn2:incoming>f1</bpmn2:incoming>
                </bpmn2:endEvent>
              </bpmn2:process>
              <bpmndi:BPMNDiagram id="ID-diagram">
                <bpmndi:BPMNPlane id="ID-plane" bpmnElement="ID">
                  <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
                  <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="300" y="100" width="36" height="36"/></bpmndi:BPMNShape>
                  <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118"/><di:waypoint x="300" y="118"/></bpmndi:BPMNEdge>
                </bpmndi:BPMNPlane>
              </bpmndi:BPMNDiagram>
            </bpmn2:definitions>
            """;

    private final WorkflowController workflows;
    private final JsonMapper json;

    JourneysPages(WorkflowController workflows, JsonMapper json) {
        this.workflows = workflows;
        this.json = json;
    }

    /** Every journey with its versions and live counts (running, reached the end, by state). */
    @GetMapping
    String list(Model model) {
        Section<List<Map<String, Object>>> list = Section.load(() -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> j : workflows.list()) {
                Map<String, Object> row = new LinkedHashMap<>(j);
                Map<String, Object> counts = workflows.instances((String) j.get("id"));
                row.put("byState", counts.get("byState"));
                Object active = ((Map<?, ?>) counts.get("byState")).get("ACTIVE");
                row.put("running", active == null ? 0L : active);
                row.put("runningByVersion", counts.get("runningByVersion"));
                out.add(row);
            }
            return out;
        });
        model.addAttribute("journeys", list);
        model.addAttribute("statuses", STATUSES);
        return "console/journeys/list";
    }

    /** One journey: its diagram with counts per step, counts as a table, versions with rollback. */
    @GetMapping("/{id}")
    String journey(@PathVariable String id, @RequestParam(required = false) Integer version, Model model) {
        Map<String, Object> j = workflows.get(id);
        Map<String, Object> counts = workflows.instances(id);
        int shown = version == null ? ((Number) j.get("currentVersion")).intValue() : version;
        model.addAttribute("j", j);
        model.addAttribute("shown", shown);
        model.addAttribute("counts", counts);
        model.addAttribute("overlays", json.writeValueAsString(overlays(counts)));
        model.addAttribute("steps", stepRows(counts, stepNames(j, shown)));
        model.addAttribute("statuses", STATUSES);
        return "console/journeys/journey";
    }

    /** Node id → {running, reached} for the diagram's overlays. */
    static Map<String, Map<String, Long>> overlays(Map<String, Object> counts) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        Map<?, ?> running = (Map<?, ?>) counts.getOrDefault("runningByStep", Map.of());
        Map<?, ?> reached = (Map<?, ?>) counts.getOrDefault("reachedByStep", Map.of());
        TreeSet<String> nodes = new TreeSet<>();
        running.keySet().forEach(k -> nodes.add(k.toString()));
        reached.keySet().forEach(k -> nodes.add(k.toString()));
        for (String n : nodes) {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("running", running.get(n) == null ? 0L : ((Number) running.get(n)).longValue());
            m.put("reached", reached.get(n) == null ? 0L : ((Number) reached.get(n)).longValue());
            out.put(n, m);
        }
        return out;
    }

    record StepRow(String nodeId, String name, long running, long reached) {
    }

    static List<StepRow> stepRows(Map<String, Object> counts, Map<String, String> names) {
        List<StepRow> rows = new ArrayList<>();
        overlays(counts).forEach((n, m) -> rows.add(new StepRow(n, names.getOrDefault(n, ""), m.get("running"), m.get("reached"))));
        return rows;
    }

    /** Node id → step name, from the steps the compiler listed for the shown version. */
    static Map<String, String> stepNames(Map<String, Object> journey, int version) {
        Map<String, String> names = new LinkedHashMap<>();
        Object versions = journey.get("versions");
        if (!(versions instanceof List<?> list)) return names;
        for (Object v : list) {
            if (v instanceof Map<?, ?> m && m.get("version") instanceof Number n && n.intValue() == version
                    && m.get("steps") instanceof List<?> steps) {
                for (Object st : steps) {
                    if (st instanceof Map<?, ?> step && step.get("id") != null) {
                        names.put(step.get("id").toString(), String.valueOf(step.get("name")));
                    }
                }
            }
        }
        return names;
    }

    /**
     * The BPMN XML the viewer and modeler load (a console URL: the browser cannot call /api with the session). Sent as
     * plain text (with nosniff) so an uploaded document opened directly is never rendered as XHTML.
     */
    @GetMapping("/{id}/bpmn")
    @ResponseBody
    ResponseEntity<String> bpmn(@PathVariable String id, @RequestParam(required = false) Integer version) {
        return ResponseEntity.ok().contentType(new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store").body(workflows.bpmn(id, version));
    }

    @PostMapping("/{id}/rollback")
    String rollback(@PathVariable String id, @RequestParam int version, Model model, RedirectAttributes redirect) {
        workflows.rollback(id, new WorkflowController.RollbackRequest(version), Auth.current());
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("journeys.rolledBack", version));
        return "redirect:/journeys/" + id;
    }

    // ---- the modeler ----

    @GetMapping("/{id}/edit")
    String edit(@PathVariable String id, Model model) {
        Map<String, Object> j = workflows.get(id);
        fillEditor(model, id, workflows.bpmn(id, null), false);
        model.addAttribute("j", j);
        return "console/journeys/edit";
    }

    @GetMapping("/new")
    String create(Model model) {
        fillEditor(model, "", NEW_JOURNEY, true);
        return "console/journeys/edit";
    }

    private void fillEditor(Model model, String id, String xml, boolean isNew) {
        Me me = (Me) model.getAttribute("me");
        model.addAttribute("id", id);
        model.addAttribute("xml", xml);
        model.addAttribute("isNew", isNew);
        model.addAttribute("palette", JourneyService.PALETTE.keySet());
        // the palette limited to the journey steps for everyone but ADMIN (as the API's deploy rules)
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        Map<String, String> labels = new LinkedHashMap<>();
        JourneyService.PALETTE.values().forEach(ps -> ps.forEach(p -> labels.put(p, fmt.msg("journeys.param." + p))));
        model.addAttribute("paletteJson", json.writeValueAsString(Map.of(
                "restricted", me == null || !me.admin(), "steps", JourneyService.PALETTE, "labels", labels)));
    }

    /** Validates the candidate as the API would deploy it for this user; problems listed with element and line. */
    @PostMapping("/validate")
    String validate(@RequestParam String id, @RequestParam String bpmn, Model model) {
        String jid = newId(id, bpmn);
        try {
            model.addAttribute("valid", workflows.validate(jid, bpmn, Auth.current()));
        } catch (InvalidBpmnException e) {
            model.addAttribute("invalid", e);
        }
        model.addAttribute("id", jid);
        return "console/journeys/edit :: result";
    }

    @PostMapping("/deploy")
    String deploy(@RequestParam String id, @RequestParam String bpmn, Model model) {
        String jid = newId(id, bpmn);
        try {
            model.addAttribute("deployed", workflows.put(jid, bpmn, Auth.current()));
        } catch (InvalidBpmnException e) {
            model.addAttribute("invalid", e);
        }
        model.addAttribute("id", jid);
        return "console/journeys/edit :: result";
    }

    /** A new journey's process id follows the id chosen in the form (the template says "ID"). */
    private static String newId(String id, String bpmn) {
        String jid = id == null ? "" : id.trim();
        if (jid.isEmpty()) throw new IllegalArgumentException("a journey needs an id (lower-case letters, digits and dashes)");
        return jid;
    }

    // ---- instances ----

    @GetMapping("/{id}/instances")
    String instances(@PathVariable String id, @RequestParam(required = false) String status, Model model) {
        String st = status == null || !STATUSES.contains(status) ? null : status;
        // SUPPORT may see the instances but not the journey's definition: then the page is titled by the id
        Section<Map<String, Object>> j = Section.load(() -> workflows.get(id));
        model.addAttribute("j", j.ok() ? j.value() : Map.of("id", id, "name", id));
        model.addAttribute("status", st);
        model.addAttribute("statuses", STATUSES);
        model.addAttribute("instances", Section.load(() -> workflows.instanceList(id, st, 200)));
        return "console/journeys/instances";
    }

    @PostMapping("/instances/{instanceId}/cancel")
    String cancel(@PathVariable String instanceId, @RequestParam String journey, @RequestParam(required = false) String customer,
                  Model model, RedirectAttributes redirect) {
        workflows.cancel(instanceId, Auth.current());
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("journeys.cancelled", instanceId));
        if (customer != null && !customer.isBlank()) {
            return "redirect:" + org.springframework.web.util.UriComponentsBuilder.fromPath("/customers/{id}")
                    .buildAndExpand(customer).encode().toUriString();
        }
        return "redirect:/journeys/" + (journey.matches("[a-z0-9-]+") ? journey + "/instances" : "");
    }

    // ---- holiday calendar ----

    @GetMapping("/holidays")
    String holidays(Model model) {
        model.addAttribute("csv", workflows.holidays());
        return "console/journeys/holidays";
    }

    @PostMapping("/holidays/validate")
    String validateHolidays(@RequestParam String csv, Model model) {
        try {
            model.addAttribute("count", workflows.validateHolidays(csv.replace("\r\n", "\n")).get("holidays"));
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
        }
        return "console/journeys/holidays :: result";
    }

    @PostMapping("/holidays")
    String saveHolidays(@RequestParam String csv, Model model, RedirectAttributes redirect) {
        String text = csv.replace("\r\n", "\n");
        try {
            Object n = workflows.putHolidays(text, Auth.current()).get("holidays");
            Fmt fmt = (Fmt) model.getAttribute("fmt");
            redirect.addFlashAttribute("flash", fmt.msg("journeys.holidaysSaved", n));
            return "redirect:/journeys/holidays";
        } catch (IllegalArgumentException e) {
            model.addAttribute("csv", text);
            model.addAttribute("error", e.getMessage());
            return "console/journeys/holidays";
        }
    }
}
