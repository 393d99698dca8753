package dev.caravan.workflow;

import java.util.Map;

import org.springframework.context.ApplicationContext;

/** Access to the journey engine's package-private parts for the benchmark in {@code dev.caravan.bench}. */
public final class JourneyBenchSupport {

    private final JourneyRuntime runtime;
    private final JourneyService service;

    public JourneyBenchSupport(ApplicationContext ctx) {
        this.runtime = ctx.getBean(JourneyRuntime.class);
        this.service = ctx.getBean(JourneyService.class);
    }

    public void deployTimerJourney(String id, String trigger, String duration) {
        service.deploy(id, TestBpmn.timerThenSend(id, trigger, duration, "bench-message"), true, "bench");
    }

    public void start(String customerId, String trigger) {
        runtime.process(new JourneyTrigger(null, customerId, trigger, Map.of(), null, true));
    }

    public int runDue() {
        return runtime.runDue();
    }
}
