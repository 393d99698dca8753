package dev.caravan.workflow;

import java.util.Set;

/** The fixed palette of journey steps (BPMN tasks with {@code drools:taskName}); see docs/WORKFLOWS.md. */
final class Palette {

    static final String SEND_MESSAGE = "SendMessage";
    static final String ISSUE_COUPON = "IssueCoupon";
    static final String ADD_TAG = "AddTag";
    static final String REMOVE_TAG = "RemoveTag";
    static final String WAIT = "WaitUntilLocalTime";
    static final String CHECKPOINT = "Checkpoint";
    static final String GOAL = "Goal";
    static final String AB_SPLIT = "ABSplit";

    static final Set<String> TASKS = Set.of(SEND_MESSAGE, ISSUE_COUPON, ADD_TAG, REMOVE_TAG, WAIT, CHECKPOINT, GOAL, AB_SPLIT);

    /** Variables every journey instance starts with (declare those a journey uses as process properties). */
    static final Set<String> STANDARD_VARIABLES = Set.of("customerId", "trigger", "tier", "level", "country", "language",
            "channel", "lifecycle", "emailConsent", "smsConsent", "orderCount", "ordersSinceStart", "daysSinceLastOrder",
            "cycleDays");

    private Palette() {
    }
}
