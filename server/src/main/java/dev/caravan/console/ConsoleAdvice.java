package dev.caravan.console;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import dev.caravan.analytics.AnalyticsProperties;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Model attributes every console page uses ({@code fmt}, {@code me}, {@code path}) and the console's error pages:
 * exceptions from the API methods the console calls become a translated heading with the API's own message, as a
 * full page or, for htmx requests, as an alert swapped into the page's alert region.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);

    private final MessageSource messages;
    private final Map<String, ZoneId> countryZones;

    ConsoleAdvice(MessageSource messages, AnalyticsProperties analytics) {
        this.messages = messages;
        this.countryZones = Fmt.countryZones(analytics.defaultZones());
    }

    @ModelAttribute("fmt")
    Fmt fmt() {
        return fmt(messages, countryZones);
    }

    static Fmt fmt(MessageSource messages, Map<String, ZoneId> countryZones) {
        return new Fmt(LocaleContextHolder.getLocale(), LocaleContextHolder.getTimeZone().toZoneId(), messages,
                countryZones);
    }

    @ModelAttribute("me")
    Me me() {
        return Me.of(SecurityContextHolder.getContext().getAuthentication());
    }

    @ModelAttribute("path")
    String path(HttpServletRequest request) {
        return request.getRequestURI();
    }

    /** What went wrong, for the error page and alerts. */
    public record Problem(int status, String titleKey, String detail, List<FieldError> errors) {
    }

    @ExceptionHandler({AccessDeniedException.class, AuthorizationDeniedException.class})
    String forbidden(RuntimeException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return render(new Problem(403, "error.forbidden", null, List.of()), request, response, model);
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(NotFoundException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return render(new Problem(404, "error.notFound", e.getMessage(), List.of()), request, response, model);
    }

    @ExceptionHandler(BadRequestException.class)
    String badRequest(BadRequestException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return render(new Problem(400, "error.badRequest", e.getMessage(), e.errors()), request, response, model);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    String illegal(IllegalArgumentException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return render(new Problem(400, "error.badRequest", e.getMessage(), List.of()), request, response, model);
    }

    @ExceptionHandler(ConflictException.class)
    String conflict(ConflictException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return render(new Problem(409, "error.conflict", e.getMessage(), List.of()), request, response, model);
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (e.getClass().getSimpleName().equals("RulesRejectedException")) {
            return render(new Problem(422, "error.rulesRejected", e.getMessage(), List.of()), request, response, model);
        }
        log.error("Console request {} failed", request.getRequestURI(), e);
        return render(new Problem(500, "error.unexpected", null, List.of()), request, response, model);
    }

    private String render(Problem problem, HttpServletRequest request, HttpServletResponse response, Model model) {
        model.addAttribute("problem", problem);
        model.addAttribute("fmt", fmt());
        model.addAttribute("me", me());
        model.addAttribute("path", request.getRequestURI());
        if (Htmx.isHtmx(request)) {
            // htmx swaps only 2xx answers: send the alert with 200 into the page's alert region
            response.setStatus(200);
            response.setHeader("HX-Retarget", "#alerts");
            response.setHeader("HX-Reswap", "innerHTML");
            return "console/fragments :: problem";
        }
        response.setStatus(problem.status());
        return "console/error";
    }
}
