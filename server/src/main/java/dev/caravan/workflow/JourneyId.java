package dev.caravan.workflow;

import java.util.regex.Pattern;

/**
 * A journey version's id inside the engine: {@code <journeyId>@v<version>}. Each deployed version is its own engine
 * process, so instances started on version 3 keep running on version 3 after version 4 is deployed.
 */
record JourneyId(String journeyId, int version) {

    static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    static JourneyId parse(String processId) {
        int at = processId.lastIndexOf("@v");
        if (at < 0) throw new IllegalArgumentException("not a journey version id: " + processId);
        return new JourneyId(processId.substring(0, at), Integer.parseInt(processId.substring(at + 2)));
    }

    String processId() {
        return journeyId + "@v" + version;
    }
}
