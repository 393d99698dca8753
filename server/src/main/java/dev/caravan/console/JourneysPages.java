package dev.caravan.console;

import java.util.List;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * PLACEHOLDER until the workflows feature (issue 4) is merged: lists the workflow endpoints the server offers, if
 * any, and says what the page will show. Wiring it means calling the workflows controller's methods from here (as
 * the other pages do) and rendering each BPMN with the bundled bpmn-js viewer (WebJar {@code bpmn-js} 8.0.0,
 * {@code /webjars/bpmn-js/dist/bpmn-navigated-viewer.production.min.js}) with live counts per step.
 */
@Controller
@Hidden
@RequestMapping("/journeys")
class JourneysPages {

    private final RequestMappingHandlerMapping mappings;

    JourneysPages(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        this.mappings = mappings;
    }

    @GetMapping
    String page(Model model) {
        List<String> endpoints = mappings.getHandlerMethods().keySet().stream()
                .flatMap(info -> info.getPatternValues().stream()
                        .filter(p -> p.startsWith("/api/v1/workflows") || p.endsWith("/journeys") && p.startsWith("/api/"))
                        .map(p -> info.getMethodsCondition().getMethods() + " " + p))
                .sorted().toList();
        model.addAttribute("endpoints", endpoints);
        return "console/journeys";
    }
}
