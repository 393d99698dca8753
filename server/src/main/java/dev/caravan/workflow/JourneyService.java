package dev.caravan.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.common.web.NotFoundException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Deploys journey versions: validates and compiles uploads, stores them as new immutable versions, makes them
 * current, and rolls back. On start it deploys the packaged journeys ({@code workflows/*.bpmn} in the jar) that the
 * store does not know yet, and upgrades journeys still on a packaged version when the packaged file changed.
 */
public class JourneyService {

    private static final Logger log = LoggerFactory.getLogger(JourneyService.class);

    /**
     * The palette: each step a marketer may use (BPMN task {@code drools:taskName}) with its input parameters, in the
     * order an editor should offer them (docs/WORKFLOWS.md).
     */
    public static final Map<String, List<String>> PALETTE;

    static {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put(Palette.SEND_MESSAGE, List.of("template", "channel", "purpose"));
        p.put(Palette.WAIT, List.of("after", "afterDays", "at", "quietHours", "skipHolidays"));
        p.put(Palette.ISSUE_COUPON, List.of("value", "validDays", "purpose"));
        p.put(Palette.ADD_TAG, List.of("tag"));
        p.put(Palette.REMOVE_TAG, List.of("tag"));
        p.put(Palette.CHECKPOINT, List.of("checkpoint"));
        p.put(Palette.GOAL, List.of("goal"));
        p.put(Palette.AB_SPLIT, List.of("variants", "weights"));
        PALETTE = java.util.Collections.unmodifiableMap(p);
    }

    private final JourneyRuntime runtime;
    private final WorkflowProperties props;

    JourneyService(JourneyRuntime runtime, WorkflowProperties props) {
        this.runtime = runtime;
        this.props = props;
    }

    /** Deploys the packaged defaults where needed; returns the journey ids deployed. */
    List<String> deployPackaged() {
        List<String> deployed = new ArrayList<>();
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources(props.defaultsLocation() + "*.bpmn");
            for (Resource file : files) {
                String name = file.getFilename();
                if (name == null) continue;
                String journeyId = name.substring(0, name.length() - ".bpmn".length());
                String xml;
                try (InputStream in = file.getInputStream()) {
                    xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                String hash = sha256(xml);
                JourneyRepository.Head head = runtime.repository.head(journeyId);
                if (head != null) {
                    Document current = runtime.repository.version(head.processId());
                    boolean onPackaged = current != null && "packaged".equals(current.getString("source"));
                    if (!onPackaged || hash.equals(head.packagedHash())) continue;
                }
                BpmnCompiler.Compiled checked = runtime.compiler.compile(journeyId, xml, true, false);
                runtime.repository.add(journeyId, xml, checked, "system", "packaged", hash);
                runtime.engine().signals().addAll(checked.triggers());
                runtime.engine().signals().addAll(checked.signals());
                deployed.add(journeyId);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the packaged journeys: " + e.getMessage(), e);
        }
        runtime.refreshHeads();
        if (!deployed.isEmpty()) log.info("Deployed packaged journeys: {}", deployed);
        return deployed;
    }

    /** Validates and deploys a new version; marketers may only use the palette (allowScripts false). */
    public Map<String, Object> deploy(String journeyId, String xml, boolean allowScripts, String actor) {
        if (!JourneyId.VALID.matcher(journeyId).matches()) {
            throw new IllegalArgumentException("journey ids are lower-case letters, digits and dashes, not '" + journeyId + "'");
        }
        BpmnCompiler.Compiled compiled = runtime.compiler.compile(journeyId, xml, allowScripts);
        int version = runtime.repository.add(journeyId, xml, compiled, actor, "upload", null);
        runtime.engine().add(new JourneyId(journeyId, version), compiled);
        runtime.refreshHeads();
        log.info("Journey {} version {} deployed by {}", journeyId, version, actor);
        return describe(journeyId);
    }

    /**
     * Validates and compiles a candidate without deploying it: the triggers and steps it would have, or an
     * {@link InvalidBpmnException} listing every problem (marketers may only use the palette: allowScripts false).
     */
    public Map<String, Object> validate(String journeyId, String xml, boolean allowScripts) {
        if (!JourneyId.VALID.matcher(journeyId).matches()) {
            throw new IllegalArgumentException("journey ids are lower-case letters, digits and dashes, not '" + journeyId + "'");
        }
        BpmnCompiler.Compiled compiled = runtime.compiler.compile(journeyId, xml, allowScripts);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", true);
        m.put("name", compiled.name());
        m.put("triggers", new java.util.TreeSet<>(compiled.triggers()));
        m.put("steps", compiled.steps());
        return m;
    }

    public Map<String, Object> rollback(String journeyId, int version, String actor) {
        JourneyRepository.Head head = require(journeyId);
        Document v = runtime.repository.version(new JourneyId(journeyId, version).processId());
        if (v == null) throw new NotFoundException("journey " + journeyId + " has no version " + version);
        runtime.process(new JourneyId(journeyId, version).processId());
        runtime.repository.setCurrent(journeyId, version, v.getList("triggers", String.class, List.of()),
                v.getList("signals", String.class, List.of()), actor);
        runtime.refreshHeads();
        log.info("Journey {} rolled back from version {} to {} by {}", journeyId, head.currentVersion(), version, actor);
        return describe(journeyId);
    }

    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JourneyRepository.Head h : runtime.repository.heads()) out.add(summary(h));
        return out;
    }

    public Map<String, Object> describe(String journeyId) {
        JourneyRepository.Head h = require(journeyId);
        Map<String, Object> m = summary(h);
        List<Map<String, Object>> versions = new ArrayList<>();
        runtime.repository.versions(journeyId).forEach(v -> versions.add(JourneyRepository.describe(v)));
        m.put("versions", versions);
        return m;
    }

    public String bpmn(String journeyId, Integer version) {
        JourneyRepository.Head h = require(journeyId);
        Document v = runtime.repository.version(new JourneyId(journeyId, version == null ? h.currentVersion() : version).processId());
        if (v == null) throw new NotFoundException("journey " + journeyId + " has no version " + version);
        return v.getString("bpmn");
    }

    JourneyRepository.Head require(String journeyId) {
        JourneyRepository.Head h = runtime.repository.head(journeyId);
        if (h == null) throw new NotFoundException("journey " + journeyId + " not found");
        return h;
    }

    private Map<String, Object> summary(JourneyRepository.Head h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", h.journeyId());
        m.put("name", h.name());
        m.put("currentVersion", h.currentVersion());
        m.put("latestVersion", h.latestVersion());
        m.put("triggers", h.triggers());
        m.put("cooldown", props.cooldownOf(h.journeyId()).toString());
        m.put("updatedAt", h.updatedAt());
        m.put("updatedBy", h.updatedBy());
        return m;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
