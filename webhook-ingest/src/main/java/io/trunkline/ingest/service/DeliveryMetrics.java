package io.trunkline.ingest.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.trunkline.events.ScmProvider;
import io.trunkline.ingest.service.RejectedDeliveryException.Rejection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts deliveries ({@code trunkline_webhook_deliveries_total}) by provider, event key and outcome.
 * The event key is a header anyone can send: keys neither provider acts on count as {@code other},
 * so that no request adds a time series.
 */
@ApplicationScoped
public class DeliveryMetrics {

    static final String DELIVERIES = "trunkline.webhook.deliveries";

    private final MeterRegistry meters;
    private final Normalisers normalisers;

    public DeliveryMetrics(MeterRegistry meters, Normalisers normalisers) {
        this.meters = meters;
        this.normalisers = normalisers;
    }

    public enum Outcome {
        PUBLISHED, DUPLICATE, IGNORED, MALFORMED, BAD_SIGNATURE, TOO_LARGE, NOT_JSON, NOT_STORED;

        static Outcome of(Rejection rejection) {
            return switch (rejection) {
                case MALFORMED -> MALFORMED;
                case BAD_SIGNATURE -> BAD_SIGNATURE;
                case TOO_LARGE -> TOO_LARGE;
                case NOT_JSON -> NOT_JSON;
            };
        }

        String tag() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    public void count(ScmProvider provider, String eventKey, Outcome outcome) {
        meters.counter(DELIVERIES, "provider", provider.id(), "event_key", eventKeyTag(eventKey),
                "outcome", outcome.tag()).increment();
    }

    public void count(ScmProvider provider, String eventKey, Rejection rejection) {
        count(provider, eventKey, Outcome.of(rejection));
    }

    private String eventKeyTag(String eventKey) {
        if (eventKey == null || eventKey.isBlank()) {
            return "none";
        }
        return normalisers.known(eventKey) ? eventKey : "other";
    }
}
