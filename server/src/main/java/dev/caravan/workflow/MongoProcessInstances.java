package dev.caravan.workflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.bson.Document;
import org.bson.types.Binary;
import org.jbpm.flow.serialization.ProcessInstanceMarshallerService;
import org.jbpm.workflow.instance.WorkflowProcessInstance;
import org.kie.kogito.Model;
import org.kie.kogito.process.MutableProcessInstances;
import org.kie.kogito.process.Process;
import org.kie.kogito.process.ProcessInstance;
import org.kie.kogito.process.ProcessInstanceOptimisticLockingException;
import org.kie.kogito.process.ProcessInstanceReadMode;
import org.kie.kogito.process.bpmn2.BpmnVariables;
import org.kie.kogito.process.impl.AbstractProcessInstance;

/**
 * The engine's instance store for one journey version, on {@link InstanceStore}: the state is marshalled with
 * Kogito's {@link ProcessInstanceMarshallerService} (protobuf), writes check the revision (optimistic locking
 * across servers), and the event types an instance waits for are stored beside it for {@link #waitingForEventType}.
 * Completed and aborted instances keep their history document without state.
 */
class MongoProcessInstances implements MutableProcessInstances<BpmnVariables> {

    private final Process<BpmnVariables> process;
    private final InstanceStore store;
    private final ProcessInstanceMarshallerService marshaller;
    private final EndListener onEnded;

    MongoProcessInstances(Process<BpmnVariables> process, InstanceStore store, ProcessInstanceMarshallerService marshaller,
                          EndListener onEnded) {
        this.process = process;
        this.store = store;
        this.marshaller = marshaller;
        this.onEnded = onEnded;
    }

    @Override
    public boolean exists(String id) {
        Document d = store.meta(id);
        return d != null && InstanceStore.ACTIVE.equals(d.getString("status"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<ProcessInstance<BpmnVariables>> findById(String id, ProcessInstanceReadMode mode) {
        Document d = store.get(id);
        if (d == null || d.get("state") == null || !process.id().equals(d.getString("processId"))) return Optional.empty();
        return Optional.of(toInstance(id, d, mode));
    }

    @SuppressWarnings("unchecked")
    private ProcessInstance<BpmnVariables> toInstance(String id, Document d, ProcessInstanceReadMode mode) {
        byte[] state = ((Binary) d.get("state")).getData();
        ProcessInstance<BpmnVariables> pi = (ProcessInstance<BpmnVariables>) marshaller.unmarshallProcessInstance(state, process, mode);
        AbstractProcessInstance<?> api = (AbstractProcessInstance<?>) pi;
        Number rev = (Number) d.get("rev");
        api.setVersion(rev == null ? 0 : rev.longValue());
        connect(id, api);
        return pi;
    }

    private void connect(String id, AbstractProcessInstance<?> pi) {
        pi.internalSetReloadSupplier(marshaller.createdReloadFunction(() -> store.state(id)));
    }

    @Override
    public void create(String id, ProcessInstance<BpmnVariables> instance) {
        AbstractProcessInstance<?> pi = (AbstractProcessInstance<?>) instance;
        Object trigger = instance.variables().get("trigger");
        InstanceStore.Ref ref = InstanceStore.Ref.of(process.id(), instance.businessKey(), trigger == null ? null : trigger.toString());
        store.create(id, ref, marshaller.marshallProcessInstance(instance), eventTypes(pi), StepLog.drain(id));
        pi.setVersion(0);
        connect(id, pi);
    }

    @Override
    public void update(String id, ProcessInstance<BpmnVariables> instance) {
        if (!isActive(instance)) return;
        AbstractProcessInstance<?> pi = (AbstractProcessInstance<?>) instance;
        long rev = instance.version();
        boolean written = store.update(id, rev, marshaller.marshallProcessInstance(instance), eventTypes(pi),
                currentSteps(pi), StepLog.drain(id));
        if (!written) throw new ProcessInstanceOptimisticLockingException(id);
        pi.setVersion(rev + 1);
        connect(id, pi);
    }

    @Override
    public void remove(String id) {
        StepLog.Pending pending = StepLog.drain(id);
        String status = pending.endStatus == null ? InstanceStore.COMPLETED : pending.endStatus;
        Document before = store.meta(id);
        boolean effective = pending.steps.stream().anyMatch(s -> Palette.TASKS.contains(s.kind()))
                || (before != null && before.getList("steps", Document.class, List.of()).stream()
                .anyMatch(s -> Palette.TASKS.contains(s.getString("kind"))));
        store.end(id, status, pending.outcome, pending);
        if (before != null) onEnded.ended(id, before.getString("customerId"), before.getString("journeyId"), effective);
    }

    /** Told when an instance ended. */
    interface EndListener {
        void ended(String instanceId, String customerId, String journeyId, boolean effective);
    }

    @Override
    public Stream<ProcessInstance<BpmnVariables>> stream(ProcessInstanceReadMode mode) {
        Iterable<Document> docs = store.collection().find(new Document("processId", process.id())
                .append("status", InstanceStore.ACTIVE));
        return StreamSupport.stream(docs.spliterator(), false).filter(d -> d.get("state") != null)
                .map(d -> toInstance(d.getString("_id"), d, mode));
    }

    @Override
    public Stream<ProcessInstance<BpmnVariables>> waitingForEventType(String eventType, ProcessInstanceReadMode mode) {
        // The engine asks every process for instances waiting on "processInstanceCompleted:<id>" whenever an
        // instance ends (for parent processes of call activities, which journeys do not have): answering that from
        // the store would scan all instances on every end. Journeys are signalled by key (JourneyRuntime), not here.
        if (eventType == null || eventType.startsWith("processInstanceCompleted:")) return Stream.empty();
        Iterable<Document> docs = store.collection().find(new Document("processId", process.id())
                .append("status", InstanceStore.ACTIVE).append("eventTypes", eventType));
        return StreamSupport.stream(docs.spliterator(), false).filter(d -> d.get("state") != null)
                .map(d -> toInstance(d.getString("_id"), d, mode));
    }

    static List<String> eventTypes(AbstractProcessInstance<?> pi) {
        WorkflowProcessInstance wpi = (WorkflowProcessInstance) pi.internalGetProcessInstance();
        if (wpi == null) return List.of();
        String[] types = wpi.getEventTypes();
        return types == null ? List.of() : Arrays.stream(types).filter(Objects::nonNull).distinct().toList();
    }

    static List<String> currentSteps(AbstractProcessInstance<?> pi) {
        WorkflowProcessInstance wpi = (WorkflowProcessInstance) pi.internalGetProcessInstance();
        List<String> out = new ArrayList<>();
        if (wpi == null) return out;
        wpi.getNodeInstances().forEach(ni -> {
            Object uid = ni.getNode().getMetaData().get("UniqueId");
            out.add(uid == null ? String.valueOf(ni.getNode().getId()) : uid.toString());
        });
        return out;
    }
}
