package dev.caravan.workflow;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jbpm.flow.serialization.ProcessInstanceMarshallerService;
import org.jbpm.process.core.impl.ProcessImpl;
import org.jbpm.workflow.core.node.BoundaryEventNode;
import org.jbpm.workflow.core.node.EndNode;
import org.jbpm.workflow.core.node.EventNode;
import org.jbpm.workflow.core.node.StartNode;
import org.jbpm.workflow.core.node.TimerNode;
import org.jbpm.workflow.core.node.WorkItemNode;
import org.kie.api.definition.process.Node;
import org.kie.kogito.internal.process.event.DefaultKogitoProcessEventListener;
import org.kie.api.event.process.ProcessCompletedEvent;
import org.kie.api.event.process.ProcessNodeTriggeredEvent;
import org.kie.kogito.Application;
import org.kie.kogito.internal.process.runtime.KogitoProcessInstance;
import org.kie.kogito.jobs.JobsService;
import org.kie.kogito.process.Process;
import org.kie.kogito.process.ProcessInstancesFactory;
import org.kie.kogito.process.Processes;
import org.kie.kogito.process.bpmn2.BpmnProcess;
import org.kie.kogito.process.bpmn2.BpmnProcesses;
import org.kie.kogito.process.bpmn2.BpmnVariables;
import org.kie.kogito.process.bpmn2.StaticApplicationAssembler;
import org.kie.kogito.process.impl.DefaultProcessEventListenerConfig;
import org.kie.kogito.process.impl.DefaultWorkItemHandlerConfig;
import org.kie.kogito.process.impl.StaticProcessConfig;
import org.kie.kogito.services.uow.DefaultUnitOfWorkManager;
import org.kie.kogito.uow.UnitOfWorkManager;

/**
 * One embedded Kogito jBPM application without code generation: compiled journey versions are added as
 * {@link BpmnProcess}es (engine id {@code journey@vN}), the palette handlers and a step listener are registered, and
 * instances and timers live where the given factory and jobs service put them (MongoDB for the live engine,
 * memory for dry-runs).
 */
final class JourneyEngine {

    /** Receives the steps instances take and their ends. */
    interface StepSink {
        void step(String instanceId, StepLog.Step step);

        void ended(String instanceId, int state, String lastEndName);
    }

    private final Application app;
    private final BpmnProcesses processes;
    private final StaticProcessConfig config;
    private final UnitOfWorkManager uow;
    private final Map<String, BpmnCompiler.Compiled> compiled = new ConcurrentHashMap<>();

    JourneyEngine(ProcessInstancesFactory factory, JobsService jobs, PaletteContext ctx, StepSink sink) {
        DefaultWorkItemHandlerConfig handlers = new DefaultWorkItemHandlerConfig();
        PaletteHandlers.all(ctx).forEach(h -> handlers.register(h.getName(), h));
        this.uow = new DefaultUnitOfWorkManager(JourneyUnitOfWork.FACTORY);
        this.config = new StaticProcessConfig(handlers, new DefaultProcessEventListenerConfig(new Listener(ctx, sink)), uow, jobs);
        this.app = StaticApplicationAssembler.instance().newStaticApplication(factory, config, new org.kie.api.definition.process.Process[0]);
        this.processes = (BpmnProcesses) app.get(Processes.class);
    }

    static ProcessInstanceMarshallerService marshaller() {
        return ProcessInstanceMarshallerService.newBuilder().withDefaultObjectMarshallerStrategies().withDefaultListeners().build();
    }

    /** Adds a compiled journey version under its engine id; a version is added once. */
    synchronized void add(JourneyId id, BpmnCompiler.Compiled journey) {
        String processId = id.processId();
        if (processes.processById(processId) != null) return;
        ((ProcessImpl) journey.process()).setId(processId);
        processes.addProcess(new BpmnProcess(journey.process(), config, app));
        compiled.put(processId, journey);
        signals.addAll(journey.signals());
        signals.addAll(journey.triggers());
    }

    private final Set<String> signals = ConcurrentHashMap.newKeySet();

    /** Every signal (trigger or wait) any loaded journey version reacts to. */
    Set<String> signals() {
        return signals;
    }

    boolean has(String processId) {
        return processes.processById(processId) != null;
    }

    @SuppressWarnings("unchecked")
    Process<BpmnVariables> process(String processId) {
        return (Process<BpmnVariables>) processes.processById(processId);
    }

    BpmnCompiler.Compiled compiled(String processId) {
        return compiled.get(processId);
    }

    UnitOfWorkManager unitOfWork() {
        return uow;
    }

    /** Records palette tasks, events and ends as steps; gateways are not steps. */
    private static final class Listener extends DefaultKogitoProcessEventListener {
        private final PaletteContext ctx;
        private final StepSink sink;
        private final Map<String, String> lastEnd = new ConcurrentHashMap<>();

        Listener(PaletteContext ctx, StepSink sink) {
            this.ctx = ctx;
            this.sink = sink;
        }

        @Override
        public void beforeNodeTriggered(ProcessNodeTriggeredEvent event) {
            Node node = event.getNodeInstance().getNode();
            String kind = kind(node);
            if (kind == null) return;
            String instanceId = ((KogitoProcessInstance) event.getProcessInstance()).getStringId();
            Object uid = node.getMetaData().get("UniqueId");
            String nodeId = uid == null ? String.valueOf(node.getId()) : uid.toString();
            if (node instanceof EndNode) lastEnd.put(instanceId, node.getName());
            sink.step(instanceId, new StepLog.Step(ctx.now(), nodeId, node.getName(), kind, null));
        }

        @Override
        public void afterProcessCompleted(ProcessCompletedEvent event) {
            KogitoProcessInstance pi = (KogitoProcessInstance) event.getProcessInstance();
            sink.ended(pi.getStringId(), pi.getState(), lastEnd.remove(pi.getStringId()));
        }

        private static String kind(Node node) {
            if (node instanceof WorkItemNode w) return w.getWork().getName();
            if (node instanceof StartNode) return "start";
            if (node instanceof EndNode) return "end";
            if (node instanceof BoundaryEventNode) return "boundary";
            if (node instanceof EventNode) return "event";
            if (node instanceof TimerNode) return "timer";
            return null;
        }
    }
}
