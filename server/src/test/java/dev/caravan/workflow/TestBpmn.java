package dev.caravan.workflow;

/** Small journeys for tests, written as BPMN2 XML. */
final class TestBpmn {

    private TestBpmn() {
    }

    static String head(String id, String trigger) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn2:definitions xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:drools="http://www.jboss.org/drools"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d-%1$s" targetNamespace="https://caravan.dev/test">
                  <bpmn2:itemDefinition id="_StringItem" structureRef="java.lang.String"/>
                  <bpmn2:signal id="%2$s" name="%2$s"/>
                  <bpmn2:process id="%1$s" name="Test %1$s" isExecutable="true" processType="Private" drools:packageName="journeys">
                    <bpmn2:property id="customerId" itemSubjectRef="_StringItem"/>
                    <bpmn2:property id="tier" itemSubjectRef="_StringItem"/>
                    <bpmn2:startEvent id="start" name="Start"><bpmn2:outgoing>f1</bpmn2:outgoing><bpmn2:signalEventDefinition signalRef="%2$s"/></bpmn2:startEvent>
                """.formatted(id, trigger);
    }

    static String task(String id, String taskName, String in, String out, String... params) {
        StringBuilder io = new StringBuilder();
        StringBuilder assoc = new StringBuilder();
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < params.length; i += 2) {
            String di = id + "_" + params[i];
            io.append("<bpmn2:dataInput id=\"").append(di).append("\" name=\"").append(params[i]).append("\"/>");
            refs.append("<bpmn2:dataInputRefs>").append(di).append("</bpmn2:dataInputRefs>");
            assoc.append("<bpmn2:dataInputAssociation><bpmn2:targetRef>").append(di).append("</bpmn2:targetRef><bpmn2:assignment>")
                    .append("<bpmn2:from xsi:type=\"bpmn2:tFormalExpression\">").append(params[i + 1]).append("</bpmn2:from>")
                    .append("<bpmn2:to xsi:type=\"bpmn2:tFormalExpression\">").append(di).append("</bpmn2:to></bpmn2:assignment></bpmn2:dataInputAssociation>");
        }
        return "<bpmn2:task id=\"" + id + "\" name=\"" + id + "\" drools:taskName=\"" + taskName + "\"><bpmn2:incoming>" + in
                + "</bpmn2:incoming><bpmn2:outgoing>" + out + "</bpmn2:outgoing><bpmn2:ioSpecification>" + io
                + "<bpmn2:inputSet>" + refs + "</bpmn2:inputSet><bpmn2:outputSet/></bpmn2:ioSpecification>" + assoc + "</bpmn2:task>\n";
    }

    static String flow(String id, String from, String to) {
        return "<bpmn2:sequenceFlow id=\"" + id + "\" sourceRef=\"" + from + "\" targetRef=\"" + to + "\"/>\n";
    }

    static String end(String in) {
        return "<bpmn2:endEvent id=\"end\" name=\"End\"><bpmn2:incoming>" + in + "</bpmn2:incoming></bpmn2:endEvent>\n";
    }

    static String tail() {
        return "</bpmn2:process>\n</bpmn2:definitions>\n";
    }

    /** start → wait → send(template) → end; node ids carry a suffix so versions can differ in ids. */
    static String waitThenSend(String id, String trigger, String wait, String template, String suffix) {
        return head(id, trigger)
                + task("wait" + suffix, "WaitUntilLocalTime", "f1", "f2", "after", wait, "quietHours", "false")
                + task("send" + suffix, "SendMessage", "f2", "f3", "template", template, "channel", "email", "purpose", "service")
                + end("f3")
                + flow("f1", "start", "wait" + suffix) + flow("f2", "wait" + suffix, "send" + suffix) + flow("f3", "send" + suffix, "end")
                + tail();
    }

    /** start → BPMN timer (ISO duration) → send(template) → end: exercises the persistent JobsService. */
    static String timerThenSend(String id, String trigger, String duration, String template) {
        return head(id, trigger)
                + "<bpmn2:intermediateCatchEvent id=\"timer\" name=\"Timer\"><bpmn2:incoming>f1</bpmn2:incoming><bpmn2:outgoing>f2</bpmn2:outgoing>"
                + "<bpmn2:timerEventDefinition><bpmn2:timeDuration xsi:type=\"bpmn2:tFormalExpression\">" + duration
                + "</bpmn2:timeDuration></bpmn2:timerEventDefinition></bpmn2:intermediateCatchEvent>\n"
                + task("send", "SendMessage", "f2", "f3", "template", template, "channel", "email", "purpose", "service")
                + end("f3")
                + flow("f1", "start", "timer") + flow("f2", "timer", "send") + flow("f3", "send", "end")
                + tail();
    }

    static String withScriptTask(String id, String trigger) {
        return head(id, trigger)
                + "<bpmn2:scriptTask id=\"script\" name=\"Script\" scriptFormat=\"http://www.java.com/java\"><bpmn2:incoming>f1</bpmn2:incoming>"
                + "<bpmn2:outgoing>f2</bpmn2:outgoing><bpmn2:script>System.exit(1);</bpmn2:script></bpmn2:scriptTask>\n"
                + end("f2") + flow("f1", "start", "script") + flow("f2", "script", "end") + tail();
    }
}
