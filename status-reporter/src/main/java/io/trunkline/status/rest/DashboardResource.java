package io.trunkline.status.rest;

import io.trunkline.status.config.StatusReporterConfig;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard's page: the overview at {@code /} and a deployment's page at
 * {@code /deployments/{id}} (where every commit status links), one HTML document that tells the
 * browser where promotion-service's API is. Its script and style are static files under
 * {@code /dashboard/}.
 */
@PermitAll // the page shell only: its data comes from /api/*, which needs a token
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {

    private final String page;

    public DashboardResource(StatusReporterConfig config) {
        try (InputStream in = DashboardResource.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard/index.html is missing from the application");
            }
            this.page = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{promotionUrl}", attribute(config.promotionUrl()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Operation(hidden = true)
    public String overview() {
        return page;
    }

    @GET
    @Path("/deployments/{id}")
    @Operation(hidden = true)
    public String deployment(@PathParam("id") String id) {
        return page; // the script shows the deployment, or says it does not exist
    }

    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
