package dev.caravan.workflow;

/** Send decisions of journey steps ({@code journey_decisions}, keyed by the send's idempotency key). */
final class Decisions {

    static final String COLLECTION = "journey_decisions";

    private Decisions() {
    }
}
