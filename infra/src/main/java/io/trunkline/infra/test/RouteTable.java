package io.trunkline.infra.test;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.CDI;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The HTTP routes of JAX-RS resource classes ({@code @Path} on the class, {@code @GET}/{@code @POST}/...
 * and an optional {@code @Path} on each method), read by reflection. Authorisation tests feed it the
 * resource beans of the running application, so a route added later is in the table without anyone
 * listing it.
 */
public final class RouteTable {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    /** One route: HTTP method and path template, e.g. {@code POST /api/deployments/{id}/approve}. */
    public record Route(String method, String path) {

        @Override
        public String toString() {
            return method + " " + path;
        }

        /** The path with each {@code {param}} replaced by {@code values.apply(param)}. */
        public String resolve(java.util.function.UnaryOperator<String> values) {
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\{([^}:]+)(:[^}]*)?}").matcher(path);
            StringBuilder resolved = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(resolved, java.util.regex.Matcher.quoteReplacement(values.apply(matcher.group(1).strip())));
            }
            matcher.appendTail(resolved);
            return resolved.toString();
        }
    }

    private RouteTable() {
    }

    /** The routes of the running Quarkus application: its beans of Trunkline's own classes. */
    public static List<Route> ofRunningApplication() {
        return of(CDI.current().getBeanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .<Class<?>>map(Bean::getBeanClass)
                .filter(type -> !type.isInterface() && type.getName().startsWith("io.trunkline."))
                .distinct()
                .toList());
    }

    public static List<Route> of(Collection<Class<?>> resourceClasses) {
        List<Route> routes = new ArrayList<>();
        for (Class<?> resource : resourceClasses) {
            Class<?> type = declaring(resource);
            String base = path(type.getAnnotations());
            if (base == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                for (Annotation annotation : method.getAnnotations()) {
                    String name = annotation.annotationType().getName();
                    if (name.startsWith("jakarta.ws.rs.") && METHODS.contains(annotation.annotationType().getSimpleName())) {
                        String sub = path(method.getAnnotations());
                        routes.add(new Route(annotation.annotationType().getSimpleName(), join(base, sub)));
                    }
                }
            }
        }
        routes.sort(Comparator.comparing(Route::path).thenComparing(Route::method));
        return routes.stream().distinct().toList();
    }

    /** The class that carries {@code @Path}: a CDI subclass or proxy extends the resource. */
    private static Class<?> declaring(Class<?> type) {
        for (Class<?> candidate = type; candidate != null && candidate != Object.class; candidate = candidate.getSuperclass()) {
            if (path(candidate.getAnnotations()) != null) {
                return candidate;
            }
        }
        return type;
    }

    private static String path(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation.annotationType().getName().equals("jakarta.ws.rs.Path")) {
                try {
                    return (String) annotation.annotationType().getMethod("value").invoke(annotation);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String head = strip(base);
        String tail = sub == null ? "" : strip(sub);
        return "/" + head + (!head.isEmpty() && !tail.isEmpty() ? "/" : "") + tail;
    }

    private static String strip(String path) {
        String stripped = path;
        while (stripped.startsWith("/")) {
            stripped = stripped.substring(1);
        }
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }
}
