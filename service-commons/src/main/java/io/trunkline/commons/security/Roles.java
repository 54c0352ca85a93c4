package io.trunkline.commons.security;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The roles of Trunkline's APIs, each including the one below it: {@link #ADMIN} ⊇ {@link #OPERATOR}
 * ⊇ {@link #VIEWER}. They come from the token's role claim ({@code trunkline.auth.role-claim}).
 */
public final class Roles {

    /** Reads: deployments, environments, DORA metrics, the live event stream, configurations. */
    public static final String VIEWER = "viewer";
    /** Operator commands: approve, cancel, redeploy, release, override a freeze. */
    public static final String OPERATOR = "operator";
    /** Configuration changes and the audit log. */
    public static final String ADMIN = "admin";

    private Roles() {
    }

    /** {@code granted} plus every role one of them includes. */
    public static Set<String> withImplied(Set<String> granted) {
        Set<String> roles = new LinkedHashSet<>(granted);
        if (roles.contains(ADMIN)) {
            roles.add(OPERATOR);
        }
        if (roles.contains(OPERATOR)) {
            roles.add(VIEWER);
        }
        return roles;
    }
}
