package dev.caravan.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test double of the messaging port: records every send (once per idempotency key), blocks marketing sends to
 * customers listed in {@link #blockMarketing}, and answers checks with "allowed now".
 */
public class RecordingJourneyMessenger implements JourneyMessenger {

    private final List<MessageRequest> sent = new CopyOnWriteArrayList<>();
    private final Map<String, SendResult> byKey = new ConcurrentHashMap<>();
    public final java.util.Set<String> blockMarketing = ConcurrentHashMap.newKeySet();

    @Override
    public synchronized SendResult send(MessageRequest request) {
        SendResult first = byKey.get(request.idempotencyKey());
        if (first != null) return first;
        SendResult r;
        if ("marketing".equals(request.purpose()) && blockMarketing.contains(request.customerId())) {
            r = SendResult.blocked("no marketing consent for " + request.channel(), "consent");
        } else {
            sent.add(request);
            r = SendResult.sent("msg-" + sent.size());
        }
        byKey.put(request.idempotencyKey(), r);
        return r;
    }

    @Override
    public SendCheck check(MessageRequest request, Instant at) {
        return new SendCheck(true, at, null, null);
    }

    public List<MessageRequest> sent() {
        return new ArrayList<>(sent);
    }

    public List<String> templatesFor(String customerId) {
        return sent.stream().filter(m -> m.customerId().equals(customerId)).map(MessageRequest::template).toList();
    }

    public void reset() {
        sent.clear();
        byKey.clear();
        blockMarketing.clear();
    }
}
