package dev.caravan.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The outbox as Camel routes: {@code caravan-outbox-sweep} (a timer) leases pending messages that are due
 * (deferred, retried, new ones the hand-over could not take, or left by a stopped server) and queues their ids;
 * {@code caravan-outbox} consumes the queue with {@code caravan.messaging.consumers} concurrent consumers, each running
 * {@link OutboxDispatcher} for one message at a time.
 */
@Component
class OutboxRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(OutboxRoutes.class);

    private final OutboxStore store;
    private final OutboxQueue queue;
    private final OutboxDispatcher dispatcher;
    private final OutboxNode node;
    private final MessagingProperties props;
    private final Clock clock;

    OutboxRoutes(OutboxStore store, OutboxQueue queue, OutboxDispatcher dispatcher, OutboxNode node,
                 MessagingProperties props, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.node = node;
        this.props = props;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(queue.uri() + "&concurrentConsumers=" + props.consumers() + "&purgeWhenStopping=true")
                .routeId("caravan-outbox")
                // on stop, finish the messages being sent and leave the queued ones to the outbox (released by
                // OutboxLifecycle, taken again after the restart) instead of draining the whole queue
                .shutdownRunningTask(org.apache.camel.ShutdownRunningTask.CompleteCurrentTaskOnly)
                .process(dispatcher::process);

        from("timer:caravan-outbox-sweep?delay=500&period=" + props.sweepInterval().toMillis())
                .routeId("caravan-outbox-sweep")
                .process(e -> sweep());
    }

    /** Leases due messages nobody holds and queues them; repeats while it finds full batches. */
    int sweep() {
        int total = 0;
        for (int round = 0; round < 20; round++) {
            int room = Math.min(queue.freeCapacity(), 500);
            if (room <= 0) break;
            Instant now = clock.instant();
            List<String> due = store.dueUnleased(now, room);
            int queued = 0;
            for (String id : due) {
                if (store.claim(id, node.id(), now, now.plus(props.lease()))) {
                    if (queue.offer(id)) {
                        queued++;
                    } else {
                        store.release(id, node.id());
                    }
                }
            }
            total += queued;
            if (due.size() < room) break;
        }
        if (total > 0) log.debug("Outbox sweep queued {} messages", total);
        return total;
    }
}
