package dev.caravan.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.Customer;
import dev.caravan.customer.CustomerService;
import dev.caravan.customer.CustomerViewSection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Why a customer has their tier, lifecycle stage, level and tags: the stored decisions with the rule file and rule
 * that made each and since when, the churn-risk reasons, the history of changes, and the facts the rules see now.
 * Also contributes the {@code rules} section of the customer 360 view.
 */
@RestController
@Tag(name = "Rules")
public class ExplainController {

    private final CustomerService customers;
    private final MongoTemplate mongo;
    private final RulesService rules;
    private final PopulationService population;
    private final EvaluationService evaluations;
    private final RulesProperties props;

    public ExplainController(CustomerService customers, MongoTemplate mongo, RulesService rules,
                             PopulationService population, EvaluationService evaluations, RulesProperties props) {
        this.customers = customers;
        this.mongo = mongo;
        this.rules = rules;
        this.population = population;
        this.evaluations = evaluations;
        this.props = props;
    }

    @GetMapping("/api/v1/customers/{id}/explain")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Which rules decided the customer's tier, lifecycle, level and tags",
            description = "Stored decisions (file + rule + since), active churn risks, change history, and the facts "
                    + "the rules see now with what the active version would decide from them.")
    public Map<String, Object> explain(@PathVariable String id) {
        Customer c = customers.get(id);
        RuleState state = mongo.findById(id, RuleState.class);
        Map<String, Object> out = new LinkedHashMap<>(section(c, state, Integer.MAX_VALUE));
        RuleSet set = rules.current();
        CustomerFact fact = evaluations.fact(c, population.current(set, props.populationMaxAge()));
        out.put("facts", fact.inputs());
        RuleEngine.BatchResult r = RuleEngine.evaluate(set.kieBase(), set.params(),
                population.current(set, props.populationMaxAge()), List.of(fact), props.maxFiringsPerCustomer());
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("version", set.version());
        if (r.loops().isEmpty()) {
            now.put("tier", fact.tierDecision());
            now.put("lifecycle", fact.lifecycleDecision());
            now.put("level", fact.levelDecision());
            now.put("tags", List.copyOf(fact.tagDecisions().values()));
            now.put("churnRisks", List.copyOf(fact.churnRiskDecisions().values()));
        } else {
            now.put("loop", r.loops().get(0).detail());
        }
        out.put("wouldDecideNow", now);
        return out;
    }

    static Map<String, Object> section(Customer c, RuleState state, int historyLimit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customerId", c.getId());
        m.put("tier", state == null || state.tier() == null ? held(c.getTier()) : state.tier());
        m.put("lifecycle", state == null || state.lifecycle() == null ? held(c.getLifecycle()) : state.lifecycle());
        m.put("level", state == null || state.level() == null ? held(c.getLevel()) : state.level());
        m.put("tags", state == null ? c.getTags().stream().map(ExplainController::held).toList() : state.tags());
        m.put("churnRisks", state == null ? List.of() : state.churnRisks());
        if (state != null && state.levelLapsedAt() != null) m.put("levelLapsedAt", state.levelLapsedAt());
        m.put("version", state == null ? null : state.version());
        m.put("updatedAt", state == null ? null : state.updatedAt());
        List<RuleState.HistoryEntry> history = state == null ? List.of() : state.history();
        int from = Math.max(0, history.size() - historyLimit);
        List<RuleState.HistoryEntry> newestFirst = new java.util.ArrayList<>(history.subList(from, history.size()));
        java.util.Collections.reverse(newestFirst);
        m.put("history", newestFirst);
        return m;
    }

    private static RuleState.Held held(String value) {
        return value == null ? null : new RuleState.Held(value, null, null, null);
    }

    /** The {@code rules} section of {@code GET /api/v1/customers/{id}}. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class ViewSection {
        @Bean
        CustomerViewSection rulesSection(MongoTemplate mongo) {
            return new CustomerViewSection() {
                @Override
                public String name() {
                    return "rules";
                }

                @Override
                public Object forCustomer(String customerId) {
                    Customer c = mongo.findById(customerId, Customer.class);
                    if (c == null) return null;
                    return section(c, mongo.findById(customerId, RuleState.class), 20);
                }
            };
        }
    }
}
