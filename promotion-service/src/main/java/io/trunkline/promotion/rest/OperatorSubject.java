package io.trunkline.promotion.rest;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, as the audit log and the deployments record it: the subject of the request's bearer
 * token (its {@code preferred_username}, else {@code sub}) and the roles it was granted. Outside a request
 * (no caller), {@value #SYSTEM}.
 */
@ApplicationScoped
public class OperatorSubject {

    public static final String SYSTEM = "system";

    private final CurrentIdentityAssociation identities;

    public OperatorSubject(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    public String current() {
        SecurityIdentity identity = identity();
        return identity == null || identity.isAnonymous() ? SYSTEM : identity.getPrincipal().getName();
    }

    /** The caller's roles, as granted and implied ({@code admin} includes {@code operator} and {@code viewer}), sorted. */
    public List<String> roles() {
        SecurityIdentity identity = identity();
        if (identity == null || identity.isAnonymous()) {
            return List.of();
        }
        Set<String> roles = new TreeSet<>(identity.getRoles());
        return List.copyOf(roles);
    }

    /**
     * What an environment's {@code approvers} are matched against: the caller's roles (as granted and
     * implied) and the groups its token lists in the {@code groups} claim.
     */
    public Set<String> memberships() {
        SecurityIdentity identity = identity();
        if (identity == null || identity.isAnonymous()) {
            return Set.of();
        }
        Set<String> memberships = new TreeSet<>(identity.getRoles());
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getGroups() != null) {
            memberships.addAll(token.getGroups());
        }
        return Set.copyOf(memberships);
    }

    private SecurityIdentity identity() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        return identities.getIdentity();
    }
}
