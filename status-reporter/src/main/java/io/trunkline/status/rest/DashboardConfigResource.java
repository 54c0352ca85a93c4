package io.trunkline.status.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trunkline.commons.config.AuthConfig;
import io.trunkline.status.config.StatusReporterConfig;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * How the dashboard signs in, read by its script before anything else: {@code local} (a pasted token) or
 * {@code oidc} with the provider's issuer URL and the public client to use. Public, like the page: it holds
 * what the provider's own discovery document and the login page's address show anyway, and no secret.
 */
@PermitAll // the dashboard needs it before it has a token
@Path("/dashboard/config")
public class DashboardConfigResource {

    /**
     * What the dashboard is told.
     *
     * @param mode      {@code oidc}: sign in with the provider; {@code local}: paste the token bin/trunkline up printed
     * @param issuer    the provider's issuer URL as the browser reaches it (oidc only)
     * @param clientId  the provider's public client of the dashboard (oidc only)
     * @param roleClaim where the token carries its roles, a path such as {@code realm_access/roles}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DashboardConfig(String mode, String issuer, String clientId, String roleClaim) {
    }

    private final DashboardConfig config;

    public DashboardConfigResource(AuthConfig auth, StatusReporterConfig config) {
        String mode = auth.mode().orElse("oidc");
        this.config = mode.equals("local")
                ? new DashboardConfig(mode, null, null, auth.roleClaim())
                : new DashboardConfig(mode, config.dashboard().oidcUrl().map(DashboardConfigResource::withoutSlash).orElse(null),
                        config.dashboard().clientId(), auth.roleClaim());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response get() {
        CacheControl noCache = new CacheControl();
        noCache.setNoCache(true);
        return Response.ok(config).cacheControl(noCache).build();
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
