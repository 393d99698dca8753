package dev.caravan.workflow;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.SAXParserFactory;

import org.kie.api.definition.process.Process;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderError;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Validates and compiles a journey's BPMN: well-formed XML, one process whose id is the journey id, start events
 * that name their trigger, palette tasks only, and (unless scripts are allowed) no code at all — conditions must be
 * simple comparisons of process variables. Then the KIE {@code KnowledgeBuilder} compiles it (ResourceType.BPMN2),
 * which also compiles conditions and scripts. Problems carry the element id and line where we can tell.
 */
class BpmnCompiler {

    static final String BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    static final String DROOLS_NS = "http://www.jboss.org/drools";
    static final String FEEL = "http://www.omg.org/spec/FEEL/20140401";

    /** Elements a marketer's journey may contain (BPMN model namespace); anything else needs ADMIN. */
    private static final Set<String> MARKETER_ELEMENTS = Set.of("definitions", "process", "documentation", "itemDefinition",
            "signal", "message", "property", "startEvent", "endEvent", "intermediateCatchEvent", "boundaryEvent",
            "exclusiveGateway", "parallelGateway", "eventBasedGateway", "task", "sequenceFlow", "conditionExpression",
            "incoming", "outgoing", "signalEventDefinition", "timerEventDefinition", "timeDuration", "timeDate",
            "terminateEventDefinition", "ioSpecification", "dataInput", "dataOutput", "inputSet", "outputSet",
            "dataInputRefs", "dataOutputRefs", "dataInputAssociation", "dataOutputAssociation", "sourceRef", "targetRef",
            "assignment", "from", "to", "extensionElements", "dataObject", "textAnnotation", "text", "association",
            "laneSet", "lane", "flowNodeRef", "category", "categoryValue", "group");

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(\"(?:[^\"\\\\]|\\\\.)*\")|('(?:[^'\\\\]|\\\\.)*')|(-?\\d+(?:\\.\\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\\|\\||[<>!()]|;))");
    private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "return");

    /** The result of a successful compile. */
    record Compiled(Process process, String name, Set<String> triggers, Set<String> signals,
                    List<Map<String, String>> steps, boolean scripted) {
    }

    Compiled compile(String journeyId, String xml, boolean allowScripts) {
        return compile(journeyId, xml, allowScripts, true);
    }

    /**
     * With {@code build} false only the document is checked (palette, triggers, conditions) and the engine compile is
     * left for the first use: the shipped journeys are trusted and compiling them all delays startup by seconds.
     */
    Compiled compile(String journeyId, String xml, boolean allowScripts, boolean build) {
        List<InvalidBpmnException.Problem> problems = new ArrayList<>();
        if (xml == null || xml.isBlank()) {
            throw new InvalidBpmnException("the BPMN document is empty",
                    List.of(new InvalidBpmnException.Problem("empty body", null, null)));
        }
        Map<String, Integer> lines = new HashMap<>();
        Document dom;
        try {
            dom = parse(xml, lines);
        } catch (SAXParseException e) {
            throw new InvalidBpmnException("the BPMN document is not well-formed XML: " + e.getMessage(),
                    List.of(new InvalidBpmnException.Problem(e.getMessage(), null, e.getLineNumber())));
        } catch (Exception e) {
            throw new InvalidBpmnException("the BPMN document cannot be read: " + e.getMessage(),
                    List.of(new InvalidBpmnException.Problem(String.valueOf(e.getMessage()), null, null)));
        }
        NodeList processes = dom.getElementsByTagNameNS(BPMN_NS, "process");
        if (processes.getLength() != 1) {
            throw new InvalidBpmnException("a journey file must hold exactly one bpmn2:process",
                    List.of(new InvalidBpmnException.Problem("found " + processes.getLength() + " processes", null, null)));
        }
        Element processEl = (Element) processes.item(0);
        String processId = processEl.getAttribute("id");
        if (!journeyId.equals(processId)) {
            problems.add(problem("the process id must be the journey id '" + journeyId + "', not '" + processId + "'",
                    processId, lines));
        }
        Map<String, String> signalNames = new HashMap<>();
        NodeList signalEls = dom.getElementsByTagNameNS(BPMN_NS, "signal");
        for (int i = 0; i < signalEls.getLength(); i++) {
            Element s = (Element) signalEls.item(i);
            signalNames.put(s.getAttribute("id"), s.hasAttribute("name") ? s.getAttribute("name") : s.getAttribute("id"));
        }
        Set<String> variables = new LinkedHashSet<>();
        for (Element p : children(processEl, "property")) variables.add(p.getAttribute("id"));

        Set<String> triggers = new LinkedHashSet<>();
        Set<String> signals = new LinkedHashSet<>();
        List<Map<String, String>> steps = new ArrayList<>();
        List<String> codeFound = new ArrayList<>();
        List<InvalidBpmnException.Problem> codeProblems = new ArrayList<>();
        walk(processEl, el -> {
            String local = el.getLocalName();
            String id = el.getAttribute("id");
            boolean bpmn = BPMN_NS.equals(el.getNamespaceURI());
            if (bpmn && !MARKETER_ELEMENTS.contains(local)) {
                codeFound.add(local);
                codeProblems.add(problem("<" + local + "> is not in the journey palette (needs ADMIN)",
                        nearestId(el), lines));
            }
            if (!bpmn && DROOLS_NS.equals(el.getNamespaceURI()) && local.contains("script")) {
                codeFound.add(local);
                codeProblems.add(problem("drools:" + local + " is a script (needs ADMIN)", nearestId(el), lines));
            }
            if (bpmn && local.equals("task")) {
                String taskName = el.getAttributeNS(DROOLS_NS, "taskName");
                if (!Palette.TASKS.contains(taskName)) {
                    problems.add(problem("task '" + id + "' uses '" + taskName + "', which is not a palette step "
                            + Palette.TASKS, id, lines));
                }
                steps.add(step(id, el.getAttribute("name"), taskName));
            }
            if (bpmn && (local.equals("startEvent") || local.equals("endEvent") || local.equals("boundaryEvent")
                    || local.equals("intermediateCatchEvent"))) {
                steps.add(step(id, el.getAttribute("name"), local));
            }
            if (bpmn && local.equals("signalEventDefinition")) {
                String ref = el.getAttribute("signalRef");
                String name = signalNames.getOrDefault(ref, ref);
                Element parent = (Element) el.getParentNode();
                if ("startEvent".equals(parent.getLocalName())) triggers.add(name);
                else signals.add(name);
            }
            if (bpmn && local.equals("conditionExpression")) {
                String text = el.getTextContent().trim();
                String why = Conditions.whyNotSimple(text, variables);
                if (why == null) {
                    el.setTextContent(Conditions.toFeel(text));
                    el.setAttribute("language", FEEL);
                } else if (el.getAttribute("language").contains("mvel")) {
                    problems.add(problem("condition '" + text + "' is MVEL but not a simple comparison; the embedded engine "
                            + "evaluates FEEL conditions or simple comparisons", nearestId(el), lines));
                }
                if (why != null) {
                    codeFound.add("condition");
                    codeProblems.add(problem("condition '" + text + "' is not a simple comparison of process variables ("
                            + why + "); needs ADMIN", nearestId(el), lines));
                }
            }
            if (bpmn && local.equals("from") && el.getTextContent().contains("#{")) {
                codeFound.add("expression");
                codeProblems.add(problem("expression '" + el.getTextContent().trim() + "' in a data assignment needs ADMIN",
                        nearestId(el), lines));
            }
        });
        if (triggers.isEmpty()) {
            problems.add(new InvalidBpmnException.Problem(
                    "a journey needs at least one start event with a signal naming its trigger (e.g. order_placed)", processId,
                    lines.get(processId)));
        }
        if (!allowScripts) problems.addAll(codeProblems);
        if (!problems.isEmpty()) {
            throw new InvalidBpmnException(problems.get(0).message() + (problems.size() > 1 ? " (and " + (problems.size() - 1)
                    + " more problems)" : ""), problems);
        }

        String name = processEl.getAttribute("name");
        if (!build) return new Compiled(null, name.isBlank() ? journeyId : name, triggers, signals, steps, !codeFound.isEmpty());
        KnowledgeBuilder kb = KnowledgeBuilderFactory.newKnowledgeBuilder();
        var resource = ResourceFactory.newByteArrayResource(serialize(dom).getBytes(StandardCharsets.UTF_8));
        resource.setSourcePath("journeys/" + journeyId + ".bpmn2");
        try {
            kb.add(resource, ResourceType.BPMN2);
        } catch (RuntimeException e) {
            throw new InvalidBpmnException("the engine rejected the BPMN: " + e.getMessage(),
                    List.of(withElement(String.valueOf(e.getMessage()), lines)));
        }
        if (kb.hasErrors()) {
            for (KnowledgeBuilderError err : kb.getErrors()) {
                problems.add(withElement(err.getMessage().trim(), lines));
            }
            throw new InvalidBpmnException("the engine rejected the BPMN: " + problems.get(0).message(), problems);
        }
        List<Process> defs = new ArrayList<>();
        kb.getKnowledgePackages().forEach(p -> defs.addAll(p.getProcesses()));
        if (defs.size() != 1) {
            throw new InvalidBpmnException("expected one compiled process, got " + defs.size(),
                    List.of(new InvalidBpmnException.Problem("expected one process", null, null)));
        }
        return new Compiled(defs.get(0), name.isBlank() ? journeyId : name, triggers, signals, steps, !codeFound.isEmpty());
    }

    private static String serialize(Document dom) {
        try {
            var tf = javax.xml.transform.TransformerFactory.newInstance();
            var out = new java.io.StringWriter();
            tf.newTransformer().transform(new javax.xml.transform.dom.DOMSource(dom), new javax.xml.transform.stream.StreamResult(out));
            return out.toString();
        } catch (javax.xml.transform.TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when the condition is a simple comparison, else the reason it is not. */
    static String simpleCondition(String text, Set<String> variables) {
        Matcher m = TOKEN.matcher(text);
        int pos = 0;
        int tokens = 0;
        while (pos < text.length()) {
            if (text.substring(pos).isBlank()) break;
            if (!m.find(pos) || m.start() != pos) {
                return "unexpected '" + text.substring(pos).trim().charAt(0) + "'";
            }
            String ident = m.group(4);
            if (ident != null && !KEYWORDS.contains(ident) && !variables.contains(ident)) {
                return "'" + ident + "' is not a process variable";
            }
            pos = m.end();
            tokens++;
        }
        return tokens == 0 ? "empty" : null;
    }

    private static InvalidBpmnException.Problem withElement(String message, Map<String, Integer> lines) {
        for (Map.Entry<String, Integer> e : lines.entrySet()) {
            if (e.getKey().length() > 1 && Pattern.compile("\\b" + Pattern.quote(e.getKey()) + "\\b").matcher(message).find()) {
                return new InvalidBpmnException.Problem(message, e.getKey(), e.getValue());
            }
        }
        return new InvalidBpmnException.Problem(message, null, null);
    }

    private static InvalidBpmnException.Problem problem(String message, String element, Map<String, Integer> lines) {
        return new InvalidBpmnException.Problem(message, element, element == null ? null : lines.get(element));
    }

    private static Map<String, String> step(String id, String name, String kind) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name == null || name.isBlank() ? id : name);
        m.put("kind", kind);
        return m;
    }

    private static String nearestId(Element el) {
        Node n = el;
        while (n instanceof Element e) {
            if (e.hasAttribute("id")) return e.getAttribute("id");
            n = n.getParentNode();
        }
        return null;
    }

    private static List<Element> children(Element parent, String local) {
        List<Element> out = new ArrayList<>();
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i) instanceof Element e && local.equals(e.getLocalName())) out.add(e);
        }
        return out;
    }

    private static void walk(Element el, java.util.function.Consumer<Element> visit) {
        visit.accept(el);
        NodeList nl = el.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i) instanceof Element e) walk(e, visit);
        }
    }

    private static Document parse(String xml, Map<String, Integer> lines) throws Exception {
        SAXParserFactory sax = SAXParserFactory.newInstance();
        sax.setNamespaceAware(true);
        sax.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        sax.newSAXParser().parse(new InputSource(new StringReader(xml)), new DefaultHandler() {
            private Locator locator;

            @Override
            public void setDocumentLocator(Locator locator) {
                this.locator = locator;
            }

            @Override
            public void startElement(String uri, String localName, String qName, Attributes attributes) {
                String id = attributes.getValue("id");
                if (id != null && locator != null) lines.putIfAbsent(id, locator.getLineNumber());
            }
        });
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
