package io.trunkline.deploy.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The GET requests of {@code verify} checks: an {@code http} check's polls and a Postman collection fetched
 * from a URL. As for targets ({@link HttpTargetClient}), the host is resolved once, the {@link AddressGuard}
 * (with {@code TRUNKLINE_TARGET_ALLOWED_HOSTS}) checks every address, and the request goes to the address it
 * checked; redirects are not followed. Nothing read is logged.
 */
@ApplicationScoped
public class VerifyHttpClient {

    private final Vertx vertx;
    private final AddressGuard guard;
    private volatile HttpClient http;

    public VerifyHttpClient(@ConfigProperty(name = "trunkline.target.allowed-hosts") Optional<List<String>> allowedHosts,
            HostResolver resolver, Vertx vertx) {
        this.vertx = vertx;
        this.guard = new AddressGuard(allowedHosts.orElse(List.of()), resolver);
    }

    /**
     * What came back: the status and the body, null when it is longer than asked for.
     */
    public record Fetched(int status, byte[] body) {
    }

    /** A request that got no answer; the message says why, for people (never a secret). */
    public static final class NotFetchedException extends Exception {
        public NotFetchedException(String message) {
            super(message);
        }
    }

    /**
     * Whether the guard lets requests go to the URL's host (a check of the environment's URL before newman
     * sends its requests there).
     *
     * @return why not; empty when they may go
     */
    public Optional<String> refusal(URI uri) {
        if (uri.getHost() == null) {
            return Optional.of("URL " + uri + " has no host");
        }
        try {
            return guard.refusal(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("could not resolve host " + uri.getHost());
        }
    }

    /**
     * GETs the URL once.
     *
     * @param maxBytes the most of the body kept; a longer body comes back null
     * @throws NotFetchedException when no answer came: refused by the guard, no connection, no answer in time
     * @throws InterruptedException when the thread is interrupted meanwhile
     */
    public Fetched get(URI uri, Duration timeout, int maxBytes) throws NotFetchedException, InterruptedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new NotFetchedException("URL must be an absolute http or https URL with a host");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        AddressGuard.Checked checked;
        try {
            checked = guard.check(host);
        } catch (UnknownHostException e) {
            throw new NotFetchedException("could not resolve host " + host);
        }
        if (checked.refusal() != null) {
            throw new NotFetchedException(checked.refusal());
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(host)
                .setPort(port)
                .setSsl(scheme.equals("https"))
                .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
                .setServer(SocketAddress.inetSocketAddress(port, checked.address().getHostAddress()))
                .setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis())
                .setIdleTimeout(timeout.toMillis());
        CompletableFuture<Fetched> answer = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        http().request(options).onFailure(answer::completeExceptionally).onSuccess(call -> {
            sent.set(call);
            call.response().onFailure(answer::completeExceptionally).onSuccess(response -> {
                Buffer body = Buffer.buffer();
                boolean[] tooLong = {false};
                response.handler(chunk -> {
                    if (!tooLong[0]) {
                        if (body.length() + chunk.length() > maxBytes) {
                            tooLong[0] = true;
                        } else {
                            body.appendBuffer(chunk);
                        }
                    }
                });
                response.exceptionHandler(answer::completeExceptionally);
                response.endHandler(end -> answer.complete(new Fetched(response.statusCode(),
                        tooLong[0] ? null : body.getBytes())));
            });
            call.end().onFailure(answer::completeExceptionally);
        });
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reset(sent.get());
            throw new NotFetchedException("no answer from " + host + " within " + CallRetries.human(timeout));
        } catch (ExecutionException e) {
            throw new NotFetchedException(sent.get() == null ? "could not connect to " + host
                    : "connection to " + host + " broke before it answered");
        } catch (InterruptedException e) {
            reset(sent.get());
            throw e;
        }
    }

    private static void reset(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true).setForceSni(true)
                            .setKeepAlive(false));
                }
                client = http;
            }
        }
        return client;
    }

    @PreDestroy
    void close() {
        HttpClient client = http;
        if (client != null) {
            client.close();
        }
    }
}
