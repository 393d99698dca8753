package dev.caravan.integrations.channel;

/** Stores in-site inbox messages; provided by the server (this library has no storage). Must be idempotent. */
@FunctionalInterface
public interface InboxSink {

    void deliver(InboxMessage message);
}
