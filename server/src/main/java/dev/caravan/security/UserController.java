package dev.caravan.security;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.caravan.common.audit.AuditEvent;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "People who use the console and API, and their roles")
@PreAuthorize("hasRole('ADMIN')")
public class UserController {

    static final int MIN_PASSWORD = 12;
    private static final Pattern USERNAME = Pattern.compile("^[a-zA-Z0-9._@-]{2,64}$");

    private final MongoTemplate mongo;
    private final PasswordEncoder encoder;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public UserController(MongoTemplate mongo, PasswordEncoder encoder, Clock clock, ApplicationEventPublisher events) {
        this.mongo = mongo;
        this.encoder = encoder;
        this.clock = clock;
        this.events = events;
    }

    public record UserView(String username, Set<Role> roles, boolean enabled, Instant createdAt) {
        static UserView of(UserAccount a) {
            return new UserView(a.username(), a.roles(), a.enabled(), a.createdAt());
        }
    }

    public record NewUser(String username, String password, Set<Role> roles) {
    }

    public record UserUpdate(String password, Set<Role> roles, Boolean enabled) {
    }

    @GetMapping
    @Operation(summary = "List users")
    public List<UserView> list() {
        return mongo.find(new Query().with(Sort.by("_id")), UserAccount.class).stream().map(UserView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user")
    public UserView create(@RequestBody NewUser user) {
        if (user.username() == null || !USERNAME.matcher(user.username()).matches()) {
            throw new BadRequestException("username must be 2-64 letters, digits or . _ @ -");
        }
        checkPassword(user.password());
        checkRoles(user.roles());
        if (mongo.findById(user.username(), UserAccount.class) != null) {
            throw new ConflictException("user " + user.username() + " exists");
        }
        Instant now = clock.instant();
        UserAccount account = new UserAccount(user.username(), encoder.encode(user.password()), Set.copyOf(user.roles()),
                true, now, now);
        mongo.insert(account);
        events.publishEvent(AuditEvent.of(AuditEvent.Actions.USER_CREATE, "user:" + account.username(),
                "created user " + account.username() + " with roles " + new java.util.TreeSet<>(account.roles()))
                .with(Map.of("roles", roles(account.roles()))));
        return UserView.of(account);
    }

    @PutMapping("/{username}")
    @Operation(summary = "Change a user's password, roles or enabled flag")
    public UserView update(@PathVariable String username, @RequestBody UserUpdate update, Principal principal) {
        UserAccount a = require(username);
        if (update.password() != null) checkPassword(update.password());
        if (update.roles() != null) checkRoles(update.roles());
        Set<Role> roles = update.roles() == null ? a.roles() : Set.copyOf(update.roles());
        boolean enabled = update.enabled() == null ? a.enabled() : update.enabled();
        if (username.equals(principal.getName()) && (!roles.contains(Role.ADMIN) || !enabled)) {
            throw new ConflictException("you cannot remove your own ADMIN role or disable yourself");
        }
        UserAccount changed = new UserAccount(a.username(),
                update.password() == null ? a.passwordHash() : encoder.encode(update.password()), roles, enabled,
                a.createdAt(), clock.instant());
        mongo.save(changed);
        Map<String, Object> what = new java.util.LinkedHashMap<>();
        if (!a.roles().equals(changed.roles())) {
            what.put("rolesBefore", roles(a.roles()));
            what.put("rolesAfter", roles(changed.roles()));
        }
        if (a.enabled() != changed.enabled()) what.put("enabled", changed.enabled());
        if (update.password() != null) what.put("passwordChanged", true);
        events.publishEvent(AuditEvent.of(AuditEvent.Actions.USER_UPDATE, "user:" + username,
                "changed user " + username + " " + what.keySet()).with(what));
        return UserView.of(changed);
    }

    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a user")
    public void delete(@PathVariable String username, Principal principal) {
        UserAccount removed = require(username);
        if (username.equals(principal.getName())) {
            throw new ConflictException("you cannot delete yourself");
        }
        mongo.remove(Query.query(Criteria.where("_id").is(username)), UserAccount.class);
        events.publishEvent(AuditEvent.of(AuditEvent.Actions.USER_DELETE, "user:" + username, "deleted user " + username)
                .with(Map.of("roles", roles(removed.roles()))));
    }

    private static List<String> roles(Set<Role> roles) {
        return roles.stream().map(Role::name).sorted().toList();
    }

    private UserAccount require(String username) {
        UserAccount a = mongo.findById(username, UserAccount.class);
        if (a == null) throw new NotFoundException("user " + username + " not found");
        return a;
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new BadRequestException("password must have at least " + MIN_PASSWORD + " characters");
        }
    }

    private static void checkRoles(Set<Role> roles) {
        if (roles == null || roles.isEmpty()) throw new BadRequestException("at least one role is required");
    }
}
