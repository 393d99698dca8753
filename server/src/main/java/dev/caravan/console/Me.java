package dev.caravan.console;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The signed-in user as templates see it ({@code me}). Used only to decide which links and forms to show; whether an
 * action is allowed is decided by the API controllers' {@code @PreAuthorize} rules when the console calls them.
 */
public record Me(String username, Set<String> roles) {

    static Me of(Authentication auth) {
        if (auth == null || !auth.isAuthenticated() || auth.getName() == null || "anonymousUser".equals(auth.getName())) {
            return new Me(null, Set.of());
        }
        Set<String> roles = new TreeSet<>();
        for (GrantedAuthority a : auth.getAuthorities()) {
            String name = a.getAuthority();
            if (name != null && name.startsWith("ROLE_")) roles.add(name.substring(5));
        }
        return new Me(auth.getName(), roles);
    }

    public boolean signedIn() {
        return username != null;
    }

    /** Whether the user holds any of the roles, e.g. {@code me.any('ADMIN,MARKETER')}. */
    public boolean any(String commaSeparated) {
        for (String r : commaSeparated.split(",")) {
            if (roles.contains(r.trim())) return true;
        }
        return false;
    }

    public boolean admin() {
        return roles.contains("ADMIN");
    }
}
