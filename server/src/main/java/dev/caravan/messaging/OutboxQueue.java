package dev.caravan.messaging;

import java.util.concurrent.BlockingQueue;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.springframework.stereotype.Component;

/**
 * The in-memory hand-over from the outbox to the Camel consumers (a SEDA queue). Message ids travel through it (or,
 * for a message just written by this server, the written document); the outbox document stays the truth, so what the
 * queue loses on a crash is picked up again by the sweep.
 */
@Component
class OutboxQueue {

    private final CamelContext camel;
    private final MessagingProperties props;
    private volatile SedaEndpoint endpoint;

    OutboxQueue(CamelContext camel, MessagingProperties props) {
        this.camel = camel;
        this.props = props;
    }

    String uri() {
        return "seda:caravan-outbox?size=" + props.queueSize();
    }

    private SedaEndpoint endpoint() {
        SedaEndpoint e = endpoint;
        if (e == null) {
            e = camel.getEndpoint(uri(), SedaEndpoint.class);
            endpoint = e;
        }
        return e;
    }

    /** Hands a leased message to the consumers; false when the queue is full or Camel is not running. */
    boolean offer(String messageId) {
        return offerBody(messageId);
    }

    /**
     * Hands over a message this server has just written and leased, document included, so the consumer does not
     * read it back (it still re-reads the customer and checks everything; every write stays conditional on the lease).
     */
    boolean offer(OutboxMessage written, MessageHistories.History history) {
        return offerBody(new HandOver(written, history));
    }

    /**
     * A message this server has just written, with the customer's send history it was decided on (null when the cap
     * was not consulted): the consumer's cap reservation is written conditionally on that history's version.
     */
    record HandOver(OutboxMessage message, MessageHistories.History history) {
    }

    private boolean offerBody(Object body) {
        if (!camel.getStatus().isStarted()) {
            return false;
        }
        SedaEndpoint e = endpoint();
        Exchange exchange = e.createExchange();
        exchange.getIn().setBody(body);
        BlockingQueue<Exchange> q = e.getQueue();
        return q.offer(exchange);
    }

    int backlog() {
        return camel.getStatus().isStarted() ? endpoint().getQueue().size() : 0;
    }

    int freeCapacity() {
        return camel.getStatus().isStarted() ? endpoint().getQueue().remainingCapacity() : 0;
    }
}
