package io.trunkline.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.trunkline.commons.rest.Problem;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.AddressRange;
import io.trunkline.ingest.service.SourceRateLimiter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Who may send deliveries, before anything reads them: a source outside {@code trunkline.webhook.allowed-sources}
 * (when set) is answered 403, a source over its rate ({@code trunkline.webhook.rate-limit.*}) 429 with
 * {@code Retry-After}, both with a problem body. The source is the connection's peer, or, with
 * {@code quarkus.http.proxy.proxy-address-forwarding} (and {@code allow-x-forwarded}), the client a proxy names in
 * {@code Forwarded} / {@code X-Forwarded-For}: Quarkus puts it in the request's remote address, so a header sent
 * to a service not behind a proxy changes nothing.
 */
@ApplicationScoped
public class WebhookSourceFilter {

    private static final Logger LOG = Logger.getLogger(WebhookSourceFilter.class);
    /** Before the size check: a refused source is not even counted as a delivery. */
    static final int PRIORITY = OversizedDeliveryFilter.PRIORITY + 10;

    private final List<AddressRange> allowed;
    private final Optional<SourceRateLimiter> limiter;
    private final ObjectMapper mapper;

    public WebhookSourceFilter(WebhookConfig config, ObjectMapper mapper) {
        this.mapper = mapper;
        this.allowed = config.allowedSources().orElse(List.of()).stream().filter(s -> !s.isBlank())
                .map(WebhookSourceFilter::range).toList();
        WebhookConfig.RateLimit rate = config.rateLimit();
        this.limiter = rate.enabled()
                ? Optional.of(new SourceRateLimiter(rate.rate(), rate.burst(), rate.maxSources(), System::nanoTime))
                : Optional.empty();
        if (!allowed.isEmpty()) {
            LOG.infof("Webhook deliveries accepted only from %s (trunkline.webhook.allowed-sources)", allowed);
        }
    }

    private static AddressRange range(String cidr) {
        try {
            return AddressRange.parse(cidr);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("trunkline.webhook.allowed-sources: " + e.getMessage(), e);
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext context) {
        if (!context.request().path().startsWith(BitbucketWebhookPaths.WEBHOOK)) {
            context.next();
            return;
        }
        SocketAddress remote = context.request().remoteAddress();
        String source = remote == null ? null : remote.hostAddress();
        Optional<InetAddress> address = AddressRange.literal(source);
        if (!allowed.isEmpty() && address.map(a -> allowed.stream().noneMatch(r -> r.contains(a))).orElse(true)) {
            LOG.warnf("Webhook delivery from %s refused: not in trunkline.webhook.allowed-sources", source);
            answer(context, 403, "source-not-allowed", "Source not allowed",
                    "Deliveries are accepted only from the configured source addresses.", null);
            return;
        }
        if (limiter.isPresent()) {
            long retryAfter = limiter.get().acquire(address.map(InetAddress::getHostAddress).orElse(String.valueOf(source)));
            if (retryAfter > 0) {
                LOG.debugf("Webhook delivery from %s answered 429: over its rate limit", source);
                answer(context, 429, "too-many-deliveries", "Too many deliveries",
                        "This source sent more deliveries than its rate limit allows. Send the delivery again in "
                                + retryAfter + " s.", retryAfter);
                return;
            }
        }
        context.next();
    }

    private void answer(RoutingContext context, int status, String type, String title, String detail, Long retryAfter) {
        String body;
        try {
            body = mapper.writeValueAsString(new Problem("urn:trunkline:problem:" + type, title, status, detail,
                    BitbucketWebhookPaths.WEBHOOK, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var response = context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE); // the body was not read
        if (retryAfter != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
        }
        response.end(body);
    }
}
