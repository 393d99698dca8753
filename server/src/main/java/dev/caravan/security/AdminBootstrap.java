package dev.caravan.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;

import dev.caravan.common.CaravanProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Makes sure the {@code admin} user exists. With {@code CARAVAN_ADMIN_PASSWORD} set, that is its password (set
 * again on every start, so an operator can reset it); otherwise a random password is generated on first start and
 * printed once.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminBootstrap implements ApplicationRunner {

    static final String ADMIN = "admin";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final MongoTemplate mongo;
    private final PasswordEncoder encoder;
    private final CaravanProperties props;
    private final Clock clock;

    AdminBootstrap(MongoTemplate mongo, PasswordEncoder encoder, CaravanProperties props, Clock clock) {
        this.mongo = mongo;
        this.encoder = encoder;
        this.props = props;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        UserAccount existing = mongo.findById(ADMIN, UserAccount.class);
        String configured = props.adminPassword();
        if (configured != null && !configured.isBlank()) {
            if (existing == null || !encoder.matches(configured, existing.passwordHash())) {
                save(existing, configured);
                log.info("Admin password set from CARAVAN_ADMIN_PASSWORD");
            }
        } else if (existing == null) {
            byte[] bytes = new byte[15];
            new SecureRandom().nextBytes(bytes);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            save(null, generated);
            String banner = "\n=================================================================\n"
                    + " Caravan admin user created.  user: admin   password: " + generated + "\n"
                    + " Shown only this once. Set CARAVAN_ADMIN_PASSWORD to choose it.\n"
                    + "=================================================================\n";
            System.out.println(banner);
        }
    }

    private void save(UserAccount existing, String password) {
        var now = clock.instant();
        mongo.save(new UserAccount(ADMIN, encoder.encode(password), EnumSet.of(Role.ADMIN), true,
                existing == null ? now : existing.createdAt(), now));
    }
}
