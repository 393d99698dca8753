package dev.caravan.rules;

/** The rules feature's classification events: what a batch listener receives in {@link ClassificationsChanged}. */
public sealed interface RuleEvent
        permits TierChanged, LifecycleChanged, MembershipChanged, TagAdded, TagRemoved, ChurnRiskDetected {

    String customerId();

    boolean live();
}
