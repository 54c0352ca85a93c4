package io.trunkline.infra.test;

import io.trunkline.infra.auth.Jwts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;

/**
 * The authorisation checks of one service's whole route table, as dynamic tests: every route the
 * application serves must have a rule (the role it needs, or {@link #PUBLIC}), and every rule a route.
 * For a protected route: no token, an expired token, another issuer, another audience and a bad
 * signature are {@code 401}; a token without the role is {@code 403}; the role itself and {@code admin}
 * get through (any answer but 401 and 403: a made-up id is a 404, an empty body a 400). Tokens come
 * from {@link TestTokens} and are checked by the service against {@link OidcTestResource}'s JWKS.
 */
public final class AuthorizationProbe {

    /** The rule of a route anyone may call. */
    public static final String PUBLIC = "public";
    /** The rule of a route that authenticates its callers itself (the webhook's HMAC): only listed, not called. */
    public static final String OWN_AUTHENTICATION = "own authentication";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AuthorizationProbe() {
    }

    /** Health, metrics, the OpenAPI document and {@code otherPaths} answer {@code GET} without a token. */
    public static Stream<DynamicContainer> quarkusEndpointsArePublic(String baseUrl, String... otherPaths) {
        List<RouteTable.Route> routes = Stream.concat(Stream.of("/q/health/ready", "/q/health/live", "/q/metrics",
                "/q/openapi"), Stream.of(otherPaths)).map(path -> new RouteTable.Route("GET", path)).toList();
        Map<String, String> rules = new HashMap<>();
        routes.forEach(route -> rules.put(route.toString(), PUBLIC));
        return checks(baseUrl, routes, rules, parameter -> parameter);
    }

    /**
     * @param baseUrl the application, e.g. {@code http://localhost:8081}
     * @param routes the application's routes ({@link RouteTable#of})
     * @param rules {@code "METHOD /path/{param}"} → the role it needs, or {@link #PUBLIC}
     * @param parameters a value for each path parameter
     */
    public static Stream<DynamicContainer> checks(String baseUrl, Collection<RouteTable.Route> routes,
            Map<String, String> rules, UnaryOperator<String> parameters) {
        Set<String> served = new TreeSet<>();
        routes.forEach(route -> served.add(route.toString()));
        List<DynamicContainer> containers = new ArrayList<>();
        containers.add(DynamicContainer.dynamicContainer("route table", Stream.of(
                DynamicTest.dynamicTest("every route has a rule", () -> {
                    Set<String> unruled = new TreeSet<>(served);
                    unruled.removeAll(rules.keySet());
                    if (!unruled.isEmpty()) {
                        throw new AssertionError("routes without an authorisation rule (add one to the test, and "
                                + "@RolesAllowed or @PermitAll to the resource): " + unruled);
                    }
                }),
                DynamicTest.dynamicTest("every rule has a route", () -> {
                    Set<String> stale = new TreeSet<>(rules.keySet());
                    stale.removeAll(served);
                    if (!stale.isEmpty()) {
                        throw new AssertionError("rules for routes the application does not serve: " + stale);
                    }
                }))));
        for (RouteTable.Route route : routes) {
            String rule = rules.get(route.toString());
            if (rule == null) {
                continue;
            }
            URI uri = URI.create(baseUrl.replaceAll("/$", "") + route.resolve(parameters));
            containers.add(DynamicContainer.dynamicContainer(route + " (" + rule + ")", cases(route, uri, rule)));
        }
        return containers.stream();
    }

    private static Stream<DynamicTest> cases(RouteTable.Route route, URI uri, String rule) {
        if (rule.equals(OWN_AUTHENTICATION)) {
            return Stream.of(DynamicTest.dynamicTest("checked by its own tests", () -> { }));
        }
        if (rule.equals(PUBLIC)) {
            return Stream.of(DynamicTest.dynamicTest("no token: allowed", () -> allowed(route, uri, null)));
        }
        Jwts.Claims right = TestTokens.claims("authz-" + rule, rule);
        return Stream.of(
                DynamicTest.dynamicTest("no token: 401", () -> expect(401, route, uri, null)),
                DynamicTest.dynamicTest("expired token: 401", () -> expect(401, route, uri, TestTokens.sign(right.expired()))),
                DynamicTest.dynamicTest("another issuer: 401",
                        () -> expect(401, route, uri, TestTokens.sign(right.withIssuer("https://elsewhere.test/realms/x")))),
                DynamicTest.dynamicTest("another audience: 401",
                        () -> expect(401, route, uri, TestTokens.sign(right.withAudience("someone-else")))),
                DynamicTest.dynamicTest("bad signature: 401", () -> expect(401, route, uri, TestTokens.signWithOtherKey(right))),
                DynamicTest.dynamicTest("role below " + rule + ": 403",
                        () -> expect(403, route, uri, TestTokens.sign(TestTokens.claims("authz-below", below(rule))))),
                DynamicTest.dynamicTest("role " + rule + ": allowed", () -> allowed(route, uri, TestTokens.sign(right))),
                DynamicTest.dynamicTest("role admin: allowed", () -> allowed(route, uri, TestTokens.admin())));
    }

    /** The role just below {@code rule}; below viewer, a role Trunkline does not know. */
    private static String below(String rule) {
        return switch (rule) {
            case "admin" -> "operator";
            case "operator" -> "viewer";
            default -> "uma_authorization";
        };
    }

    private static void expect(int expected, RouteTable.Route route, URI uri, String token) {
        int status = status(route, uri, token);
        if (status != expected) {
            throw new AssertionError(route + " (" + uri + ") answered " + status + ", expected " + expected);
        }
    }

    private static void allowed(RouteTable.Route route, URI uri, String token) {
        int status = status(route, uri, token);
        if (status == 401 || status == 403) {
            throw new AssertionError(route + " (" + uri + ") answered " + status + " to a caller it should let through");
        }
    }

    /** The status of one call; a streaming answer (server-sent events) is closed once its headers are in. */
    public static int status(RouteTable.Route route, URI uri, String token) {
        boolean withBody = Set.of("POST", "PUT", "PATCH").contains(route.method());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .method(route.method(), withBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (withBody) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.header("X-Request-Id", UUID.randomUUID().toString());
        try {
            HttpResponse<InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(route + " (" + uri + ") failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
