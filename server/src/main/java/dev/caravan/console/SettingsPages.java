package dev.caravan.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.connector.ConnectionController;
import dev.caravan.connector.ConnectionRequest;
import dev.caravan.connector.ConnectionView;
import dev.caravan.messaging.MailProperties;
import dev.caravan.messaging.MessagingProperties;
import dev.caravan.messaging.WhatsAppProperties;
import dev.caravan.money.RatesController;
import dev.caravan.security.ApiKeyController;
import dev.caravan.security.Role;
import dev.caravan.security.UserController;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Users and roles, API keys, marketplace connections (secrets are write-only: never shown, blank keeps the stored
 * value), base currency and exchange rates, and the messaging policies (quiet hours, frequency cap, holidays) and
 * channel credentials, which are server configuration and shown read-only (whether a secret is set, never its value).
 */
@Controller
@Hidden
@RequestMapping("/settings")
class SettingsPages {

    private final UserController users;
    private final ApiKeyController keys;
    private final ConnectionController connections;
    private final RatesController rates;
    private final MessagingProperties messaging;
    private final MailProperties mail;
    private final WhatsAppProperties whatsapp;

    SettingsPages(UserController users, ApiKeyController keys, ConnectionController connections, RatesController rates,
                  MessagingProperties messaging, MailProperties mail, WhatsAppProperties whatsapp) {
        this.users = users;
        this.keys = keys;
        this.connections = connections;
        this.rates = rates;
        this.messaging = messaging;
        this.mail = mail;
        this.whatsapp = whatsapp;
    }

    /** Whether a secret is configured, never its value. */
    public record Credential(String name, String property, boolean set) {
    }

    @GetMapping
    String page(Model model) {
        model.addAttribute("users", Section.load(users::list));
        model.addAttribute("keys", Section.load(keys::list));
        model.addAttribute("connections", Section.load(connections::list));
        model.addAttribute("types", Section.load(connections::types));
        model.addAttribute("rates", Section.load(rates::info));
        model.addAttribute("roles", EnumSet.allOf(Role.class));
        model.addAttribute("messaging", messaging);
        model.addAttribute("credentials", List.of(
                new Credential("SMTP", "caravan.mail.host", mail.host() != null && !mail.host().isBlank()),
                new Credential("SMTP password", "caravan.mail.password", set(mail.password())),
                new Credential("WhatsApp token", "caravan.whatsapp.token", set(whatsapp.token())),
                new Credential("WhatsApp phone number id", "caravan.whatsapp.phone-number-id", set(whatsapp.phoneNumberId())),
                new Credential("WhatsApp app secret", "caravan.whatsapp.app-secret", set(whatsapp.appSecret())),
                new Credential("Amazon messaging", "caravan.messaging.amazon.refresh-token / access-token",
                        set(messaging.amazon().refreshToken()) || set(messaging.amazon().accessToken())),
                new Credential("eBay messaging", "caravan.messaging.ebay.refresh-token / access-token",
                        set(messaging.ebay().refreshToken()) || set(messaging.ebay().accessToken()))));
        return "console/settings/index";
    }

    private static boolean set(String s) {
        return s != null && !s.isBlank();
    }

    private static Set<Role> roles(List<String> names) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        if (names != null) for (String n : names) out.add(Role.valueOf(n));
        return out;
    }

    private static String flash(Model model, String key, Object... args) {
        return ((Fmt) model.getAttribute("fmt")).msg(key, args);
    }

    // ---- users ----

    @PostMapping("/users")
    String createUser(@RequestParam String username, @RequestParam String password,
                      @RequestParam(name = "role", required = false) List<String> role, Model model, RedirectAttributes r) {
        users.create(new UserController.NewUser(username.trim(), password, roles(role)));
        r.addFlashAttribute("flash", flash(model, "settings.userCreated", username.trim()));
        return "redirect:/settings#users";
    }

    @PostMapping("/users/{username}")
    String updateUser(@PathVariable String username, @RequestParam(name = "role", required = false) List<String> role,
                      @RequestParam(defaultValue = "false") boolean enabled,
                      @RequestParam(required = false) String password, Model model, RedirectAttributes r) {
        users.update(username, new UserController.UserUpdate(password == null || password.isEmpty() ? null : password,
                roles(role), enabled), Auth.current());
        r.addFlashAttribute("flash", flash(model, "settings.userSaved", username));
        return "redirect:/settings#users";
    }

    @PostMapping("/users/{username}/delete")
    String deleteUser(@PathVariable String username, Model model, RedirectAttributes r) {
        users.delete(username, Auth.current());
        r.addFlashAttribute("flash", flash(model, "settings.userDeleted", username));
        return "redirect:/settings#users";
    }

    // ---- API keys ----

    @PostMapping("/api-keys")
    String createKey(@RequestParam String name, @RequestParam(name = "role", required = false) List<String> role,
                     Model model, RedirectAttributes r) {
        ApiKeyController.CreatedKey k = keys.create(new ApiKeyController.NewKey(name, roles(role)), Auth.current());
        // shown once, on the next page only (a flash attribute lives for exactly one request)
        r.addFlashAttribute("newKey", k);
        return "redirect:/settings#api-keys";
    }

    @PostMapping("/api-keys/{id}/revoke")
    String revokeKey(@PathVariable String id, Model model, RedirectAttributes r) {
        keys.revoke(id);
        r.addFlashAttribute("flash", flash(model, "settings.keyRevoked", id));
        return "redirect:/settings#api-keys";
    }

    // ---- connections ----

    @GetMapping("/connections/new")
    String newConnection(@RequestParam String type, Model model) {
        var t = connections.types().stream().filter(x -> x.type().equals(type)).findFirst()
                .orElseThrow(() -> new dev.caravan.common.web.NotFoundException("no connector type " + type));
        model.addAttribute("type", t);
        model.addAttribute("c", null);
        return "console/settings/connection";
    }

    @GetMapping("/connections/{id}")
    String connection(@PathVariable String id, Model model) {
        ConnectionView c = connections.get(id);
        model.addAttribute("c", c);
        model.addAttribute("type", connections.types().stream().filter(x -> x.type().equals(c.type())).findFirst().orElse(null));
        return "console/settings/connection";
    }

    /** Form fields {@code s.<name>} are settings, {@code c.<name>} credentials (blank = keep the stored secret). */
    private static ConnectionRequest request(String type, Map<String, String> form) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> credentials = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (v == null || v.isBlank()) return;
            if (k.startsWith("s.")) settings.put(k.substring(2), v.trim());
            if (k.startsWith("c.")) credentials.put(k.substring(2), v.trim());
        });
        String name = form.get("name");
        return new ConnectionRequest(type, name == null || name.isBlank() ? null : name.trim(),
                form.containsKey("enabled") ? Boolean.valueOf("true".equals(form.get("enabled"))) : null,
                settings, credentials, blank(form.get("baseUrl")), blank(form.get("authUrl")), null, null);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @PostMapping("/connections")
    String createConnection(@RequestParam Map<String, String> form, Model model, RedirectAttributes r) {
        ConnectionView c = connections.create(request(form.get("type"), form), Auth.current()).getBody();
        r.addFlashAttribute("flash", flash(model, "settings.connectionSaved", c == null ? "" : c.name()));
        return "redirect:/settings/connections/" + (c == null ? "" : c.id());
    }

    @PostMapping("/connections/{id}")
    String updateConnection(@PathVariable String id, @RequestParam Map<String, String> form, Model model,
                            RedirectAttributes r) {
        ConnectionView c = connections.update(id, request(null, form));
        r.addFlashAttribute("flash", flash(model, "settings.connectionSaved", c.name()));
        return "redirect:/settings/connections/" + id;
    }

    @PostMapping("/connections/{id}/{action}")
    String connectionAction(@PathVariable String id, @PathVariable String action, Model model, RedirectAttributes r) {
        switch (action) {
            case "enable" -> connections.enable(id);
            case "disable" -> connections.disable(id);
            case "sync" -> connections.sync(id, Auth.current());
            case "delete" -> {
                connections.delete(id);
                r.addFlashAttribute("flash", flash(model, "settings.connectionDeleted"));
                return "redirect:/settings#connections";
            }
            default -> throw new dev.caravan.common.web.NotFoundException("unknown action " + action);
        }
        r.addFlashAttribute("flash", flash(model, "settings.connection." + action));
        return "redirect:/settings/connections/" + id;
    }

    // ---- exchange rates (the file itself is the body, as with imports) ----

    @PostMapping("/rates")
    String uploadRates(HttpServletRequest request, Model model) throws IOException {
        String csv = new String(request.getInputStream().readNBytes(64 * 1024 * 1024), StandardCharsets.UTF_8);
        RatesController.RatesInfo info = rates.replace(csv);
        model.addAttribute("rates", Section.load(() -> info));
        model.addAttribute("ratesSaved", true);
        return "console/settings/index :: rates";
    }
}
