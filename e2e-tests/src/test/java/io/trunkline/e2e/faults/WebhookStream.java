package io.trunkline.e2e.faults;

import io.trunkline.e2e.WebhookSignature;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Sends signed {@code repo:push} deliveries at a steady rate, as Bitbucket would: a delivery answered
 * 503 (or any 5xx, or refused or cut at the connection, or unanswered in time) is sent again with the
 * same {@code X-Request-UUID} a moment later, until it is answered 202 or {@code resendFor} has passed.
 * Each attempt goes to the next running webhook-ingest, as a load balancer would.
 */
final class WebhookStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebhookStream.class);
    static final Duration RESEND_AFTER = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final List<Delivery> deliveries;
    private final Supplier<List<String>> endpoints;
    private final String secret;
    private final Duration resendFor;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "webhook-stream");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger endpointTurn = new AtomicInteger();
    private final Instant startedAt = Instant.now();

    private WebhookStream(List<Push> pushes, Supplier<List<String>> endpoints, String secret, Duration resendFor) {
        this.deliveries = pushes.stream().map(Delivery::new).toList();
        this.endpoints = endpoints;
        this.secret = secret;
        this.resendFor = resendFor;
    }

    /** Starts sending {@code pushes} in order, {@code ratePerSecond} first attempts per second. */
    static WebhookStream start(List<Push> pushes, int ratePerSecond, Supplier<List<String>> endpoints, String secret,
            Duration resendFor) {
        WebhookStream stream = new WebhookStream(pushes, endpoints, secret, resendFor);
        long intervalMicros = TimeUnit.SECONDS.toMicros(1) / ratePerSecond;
        for (int i = 0; i < stream.deliveries.size(); i++) {
            Delivery delivery = stream.deliveries.get(i);
            stream.scheduler.schedule(() -> stream.firstAttempt(delivery), i * intervalMicros, TimeUnit.MICROSECONDS);
        }
        return stream;
    }

    List<Delivery> deliveries() {
        return deliveries;
    }

    Instant startedAt() {
        return startedAt;
    }

    /** Deliveries sent at least once so far. */
    int sentCount() {
        return sent.get();
    }

    boolean allResolved() {
        return deliveries.stream().allMatch(Delivery::isResolved);
    }

    long pendingCount() {
        return deliveries.stream().filter(delivery -> !delivery.isResolved()).count();
    }

    private void firstAttempt(Delivery delivery) {
        sent.incrementAndGet();
        attempt(delivery, Instant.now());
    }

    private void attempt(Delivery delivery, Instant firstSent) {
        List<String> running = endpoints.get();
        if (running.isEmpty()) {
            delivery.attempted(new Delivery.Attempt(Instant.now(), "-", "no webhook-ingest running"));
            resendOrGiveUp(delivery, firstSent);
            return;
        }
        String endpoint = running.get(Math.floorMod(endpointTurn.getAndIncrement(), running.size()));
        Push push = delivery.push();
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("X-Event-Key", "repo:push")
                .header("X-Request-UUID", delivery.deliveryId())
                .header("X-Hub-Signature", WebhookSignature.sign(secret, push.body()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(push.body()))
                .build();
        Instant at = Instant.now();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            String answer = failure == null ? String.valueOf(response.statusCode()) : describe(failure);
            delivery.attempted(new Delivery.Attempt(at, endpoint, answer));
            if (failure == null && response.statusCode() == 202) {
                delivery.accepted(Instant.now());
            } else if (failure != null || response.statusCode() >= 500 || response.statusCode() == 429) {
                resendOrGiveUp(delivery, firstSent);
            } else {
                LOG.warnf("Delivery %s of %s answered %d, not resent: %s", delivery.deliveryId(), push.repository(),
                        response.statusCode(), response.body());
                delivery.refused();
            }
        });
    }

    private void resendOrGiveUp(Delivery delivery, Instant firstSent) {
        if (Instant.now().isAfter(firstSent.plus(resendFor))) {
            LOG.warnf("Delivery %s of %s still not accepted after %s: giving up", delivery.deliveryId(),
                    delivery.push().repository(), resendFor);
            delivery.gaveUp();
            return;
        }
        if (!scheduler.isShutdown()) {
            scheduler.schedule(() -> attempt(delivery, firstSent), RESEND_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        if (cause instanceof IOException) {
            return "connection lost (" + cause.getClass().getSimpleName() + ")";
        }
        return cause.toString();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
