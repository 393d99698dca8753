package dev.caravan.security;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Loads users from the {@code users} collection for HTTP Basic and form login. */
@Service
class MongoUserDetailsService implements UserDetailsService {

    private final MongoTemplate mongo;

    MongoUserDetailsService(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserAccount account = mongo.findById(username, UserAccount.class);
        if (account == null) {
            throw new UsernameNotFoundException("unknown user");
        }
        return User.withUsername(account.username())
                .password(account.passwordHash())
                .authorities(account.roles().stream().map(Role::authority).toArray(String[]::new))
                .disabled(!account.enabled())
                .build();
    }
}
