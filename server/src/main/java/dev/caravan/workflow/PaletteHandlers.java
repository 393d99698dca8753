package dev.caravan.workflow;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.caravan.customer.Consent;
import dev.caravan.customer.Customer;
import org.jbpm.process.core.context.variable.VariableScope;
import org.jbpm.workflow.instance.WorkflowProcessInstance;
import org.kie.kogito.internal.process.workitem.KogitoWorkItem;
import org.kie.kogito.internal.process.workitem.KogitoWorkItemHandler;
import org.kie.kogito.internal.process.workitem.KogitoWorkItemManager;
import org.kie.kogito.internal.process.workitem.WorkItemTransition;
import org.kie.kogito.process.workitems.impl.DefaultKogitoWorkItemHandler;

/** The palette steps as Kogito work item handlers (see docs/WORKFLOWS.md for their parameters). */
final class PaletteHandlers {

    private PaletteHandlers() {
    }

    static List<DefaultKogitoWorkItemHandler> all(PaletteContext ctx) {
        return List.of(new SendMessage(ctx), new IssueCoupon(ctx), new Tag(ctx, Palette.ADD_TAG, true),
                new Tag(ctx, Palette.REMOVE_TAG, false), new WaitUntilLocalTime(ctx), new Mark(ctx, Palette.CHECKPOINT),
                new Mark(ctx, Palette.GOAL), new AbSplit(ctx));
    }

    /** Base: finds the step's instance, customer and node, runs {@link #run}, completes with its outputs. */
    abstract static class PaletteHandler extends DefaultKogitoWorkItemHandler {
        final PaletteContext ctx;
        private final String name;

        PaletteHandler(PaletteContext ctx, String name) {
            this.ctx = ctx;
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Optional<WorkItemTransition> activateWorkItemHandler(KogitoWorkItemManager manager, KogitoWorkItemHandler handler,
                                                                    KogitoWorkItem wi, WorkItemTransition transition) {
            Map<String, Object> out = run(ref(wi), wi);
            if (out == null) return Optional.empty(); // stays active (waits)
            return Optional.of(workItemLifeCycle.newTransition(TRANSITION_COMPLETE, wi.getPhaseStatus(), out));
        }

        abstract Map<String, Object> run(PaletteContext.StepRef step, KogitoWorkItem wi);

        PaletteContext.StepRef ref(KogitoWorkItem wi) {
            WorkflowProcessInstance pi = (WorkflowProcessInstance) wi.getProcessInstance();
            Object var = pi.getVariable("customerId");
            String instanceId = wi.getProcessInstanceStringId();
            String customerId = ctx.customerOf(instanceId, var == null ? null : var.toString());
            var node = wi.getNodeInstance().getNode();
            Object uid = node.getMetaData().get("UniqueId");
            return new PaletteContext.StepRef(instanceId, pi.getProcessId(), customerId,
                    uid == null ? String.valueOf(node.getId()) : uid.toString(), node.getName(), wi.getStringId());
        }

        static String param(KogitoWorkItem wi, String name, String dflt) {
            Object v = wi.getParameter(name);
            return v == null || v.toString().isBlank() ? dflt : v.toString().trim();
        }

        static Object variable(KogitoWorkItem wi, String name) {
            return ((WorkflowProcessInstance) wi.getProcessInstance()).getVariable(name);
        }

        static void setVariables(KogitoWorkItem wi, Map<String, Object> values) {
            WorkflowProcessInstance pi = (WorkflowProcessInstance) wi.getProcessInstance();
            VariableScope scope = (VariableScope) ((org.jbpm.process.core.Process) pi.getProcess())
                    .getDefaultContext(VariableScope.VARIABLE_SCOPE);
            values.forEach((k, v) -> {
                if (scope != null && scope.findVariable(k) != null) pi.setVariable(k, v);
            });
        }
    }

    static final class SendMessage extends PaletteHandler {
        SendMessage(PaletteContext ctx) {
            super(ctx, Palette.SEND_MESSAGE);
        }

        @Override
        Map<String, Object> run(PaletteContext.StepRef step, KogitoWorkItem wi) {
            String template = param(wi, "template", step.nodeId());
            String purpose = param(wi, "purpose", "marketing");
            Customer c = ctx.customer(step.customerId());
            String channel = param(wi, "channel", "auto");
            if ("auto".equals(channel)) channel = preferredChannel(c, purpose);
            String language = c == null || c.getLanguage() == null || c.getLanguage().isBlank() ? "en" : c.getLanguage();
            // parameters in the templates' vocabulary, written in the language of the template messaging will use
            Map<String, Object> params = JourneyMessageParams.of(v -> variable(wi, v), c, step.journey().journeyId(),
                    ctx.templateLanguage(template, channel, language), ctx);
            JourneyMessenger.SendResult r = ctx.send(step, new JourneyMessenger.MessageRequest(step.customerId(), channel,
                    template, purpose, language, params, step.idempotencyKey(), step.journey().journeyId(),
                    step.instanceId(), step.nodeId()));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("template", template);
            detail.put("channel", channel);
            detail.put("sent", r.sent());
            if (r.messageId() != null) detail.put("messageId", r.messageId());
            if (r.reason() != null) detail.put("reason", r.reason());
            if (r.rule() != null) detail.put("rule", r.rule());
            ctx.detail(step, detail);
            return Map.of();
        }

        /** The first channel with a contact and, for marketing, consent: e-mail, then WhatsApp; else e-mail. */
        static String preferredChannel(Customer c, String purpose) {
            if (c == null) return "email";
            for (String ch : List.of("email", "whatsapp")) {
                boolean contact = ch.equals("email") ? !c.getEmails().isEmpty() : !c.getPhones().isEmpty();
                Consent consent = c.getConsents().get(ch);
                if (contact && (!"marketing".equals(purpose) || (consent != null && consent.granted()))) return ch;
            }
            return "email";
        }
    }

    static final class IssueCoupon extends PaletteHandler {
        IssueCoupon(PaletteContext ctx) {
            super(ctx, Palette.ISSUE_COUPON);
        }

        @Override
        Map<String, Object> run(PaletteContext.StepRef step, KogitoWorkItem wi) {
            String value = param(wi, "value", "10%");
            checkValue(value);
            int days = Integer.parseInt(param(wi, "validDays", "14"));
            String purpose = param(wi, "purpose", step.journey().journeyId());
            Instant expires = ctx.now().plus(Duration.ofDays(days));
            CouponIssuer.Coupon coupon = ctx.coupon(step, new CouponIssuer.CouponRequest(step.customerId(), value, expires,
                    purpose, step.idempotencyKey(), step.journey().journeyId(), step.instanceId(), step.nodeId()));
            ctx.detail(step, Map.of("couponCode", coupon.code(), "value", coupon.value(), "expiresAt", coupon.expiresAt().toString()));
            return Map.of("code", coupon.code());
        }

        static void checkValue(String value) {
            String number = value.endsWith("%") ? value.substring(0, value.length() - 1) : value;
            new BigDecimal(number);
        }
    }

    static final class Tag extends PaletteHandler {
        private final boolean add;

        Tag(PaletteContext ctx, String name, boolean add) {
            super(ctx, name);
            this.add = add;
        }

        @Override
        Map<String, Object> run(PaletteContext.StepRef step, KogitoWorkItem wi) {
            String tag = param(wi, "tag", null);
            if (tag == null) throw new IllegalArgumentException("step " + step.nodeId() + " has no tag");
            ctx.tag(step, tag, add);
            ctx.detail(step, Map.of("tag", tag));
            return Map.of();
        }
    }

    /** Checkpoint refreshes the customer facts in the variables; Goal also records the conversion as the outcome. */
    static final class Mark extends PaletteHandler {
        Mark(PaletteContext ctx, String name) {
            super(ctx, name);
        }

        @Override
        Map<String, Object> run(PaletteContext.StepRef step, KogitoWorkItem wi) {
            setVariables(wi, ctx.facts(step.customerId(), step.instanceId()));
            if (Palette.GOAL.equals(getName())) {
                String goal = param(wi, "goal", step.nodeName());
                ctx.goal(step, goal);
                setVariables(wi, Map.of("outcome", goal));
            } else {
                ctx.detail(step, Map.of("checkpoint", param(wi, "checkpoint", step.nodeName())));
            }
            return Map.of();
        }
    }

    static final class AbSplit extends PaletteHandler {
        AbSplit(PaletteContext ctx) {
            super(ctx, Palette.AB_SPLIT);
        }

        @Override
        Map<String, Object> run(PaletteContext.StepRef step, KogitoWorkItem wi) {
            String[] variants = param(wi, "variants", "A,B").split(",");
            String[] weightsRaw = param(wi, "weights", "").split(",");
            double[] weights = new double[variants.length];
            double total = 0;
            for (int i = 0; i < variants.length; i++) {
                weights[i] = i < weightsRaw.length && !weightsRaw[i].isBlank() ? Double.parseDouble(weightsRaw[i].trim()) : 1;
                total += weights[i];
            }
            double pick = ctx.random().nextDouble() * total;
            String chosen = variants[variants.length - 1].trim();
            for (int i = 0; i < variants.length; i++) {
                pick -= weights[i];
                if (pick < 0) {
                    chosen = variants[i].trim();
                    break;
                }
            }
            ctx.detail(step, Map.of("variant", chosen));
            return Map.of("variant", chosen);
        }
    }

    /**
     * Waits, then continues: {@code after} (ISO duration) and/or {@code afterDays} (a number, often from a variable),
     * then, with {@code at} (HH:mm), the next such local time in the customer's zone. Without {@code at} the end of a
     * wait falling into quiet hours moves to their end ({@code quietHours=false} turns that off);
     * {@code skipHolidays=true} moves it past public holidays of the customer's country.
     */
    static final class WaitUntilLocalTime extends PaletteHandler {
        WaitUntilLocalTime(PaletteContext ctx) {
            super(ctx, Palette.WAIT);
        }

        @Override
        Map<String, Object> run(PaletteContext.StepRef step, KogitoWorkItem wi) {
            Customer c = ctx.customer(step.customerId());
            ZoneId zone = CustomerZones.of(c);
            Object afterDays = wi.getParameter("afterDays");
            Instant due = fireAt(ctx.now(), zone, param(wi, "after", null), afterDays == null ? null : afterDays.toString(),
                    param(wi, "at", null), !"false".equals(param(wi, "quietHours", "true")),
                    "true".equals(param(wi, "skipHolidays", "false")), c == null ? null : c.getCountry(), ctx);
            ctx.scheduleWait(step, due);
            ctx.detail(step, Map.of("until", due.toString()));
            return null;
        }

        @Override
        public Optional<WorkItemTransition> abortWorkItemHandler(KogitoWorkItemManager manager, KogitoWorkItemHandler handler,
                                                                 KogitoWorkItem wi, WorkItemTransition transition) {
            ctx.cancelWait(wi.getStringId());
            return Optional.empty();
        }

        static Instant fireAt(Instant now, ZoneId zone, String after, String afterDays, String at, boolean quietHours,
                              boolean skipHolidays, String country, PaletteContext ctx) {
            Instant base = now;
            if (after != null) {
                try {
                    base = base.plus(Duration.parse(after));
                } catch (DateTimeParseException e) {
                    base = base.atZone(zone).plus(java.time.Period.parse(after)).toInstant();
                }
            }
            if (afterDays != null && !afterDays.isBlank()) {
                base = base.plus(Duration.ofDays((long) Double.parseDouble(afterDays)));
            }
            ZonedDateTime local = base.atZone(zone);
            if (at != null) {
                LocalTime time = LocalTime.parse(at);
                ZonedDateTime target = local.with(time);
                if (target.isBefore(local)) target = target.plusDays(1);
                local = target;
            } else if (quietHours) {
                LocalTime start = ctx.properties().quietStart();
                LocalTime end = ctx.properties().quietEnd();
                LocalTime t = local.toLocalTime();
                boolean quiet = start.isAfter(end) ? (!t.isBefore(start) || t.isBefore(end)) : (!t.isBefore(start) && t.isBefore(end));
                if (quiet) {
                    ZonedDateTime next = local.with(end);
                    if (next.isBefore(local)) next = next.plusDays(1);
                    local = next;
                }
            }
            if (skipHolidays && country != null) {
                for (int i = 0; i < 7 && ctx.holidays().isHoliday(country, local.toLocalDate()); i++) {
                    local = local.plusDays(1);
                }
            }
            return local.toInstant();
        }
    }

    static List<String> variants(String raw) {
        List<String> out = new ArrayList<>();
        for (String s : raw.split(",")) out.add(s.trim());
        return out;
    }

    static LocalDate today(PaletteContext ctx, ZoneId zone) {
        return ctx.now().atZone(zone).toLocalDate();
    }
}
