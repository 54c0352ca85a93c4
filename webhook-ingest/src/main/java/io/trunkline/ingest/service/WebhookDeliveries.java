package io.trunkline.ingest.service;

import io.trunkline.ingest.service.DeliveryMetrics.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;

/**
 * Receives one webhook request: reads and verifies it ({@link DeliveryReader}), and accepts what it
 * means ({@link WebhookIngestion}) or says why nothing is needed. Every outcome is counted.
 */
@ApplicationScoped
public class WebhookDeliveries {

    private final Normalisers normalisers;
    private final DeliveryReader reader;
    private final WebhookIngestion ingestion;
    private final DeliveryMetrics metrics;

    public WebhookDeliveries(Normalisers normalisers, DeliveryReader reader, WebhookIngestion ingestion,
            DeliveryMetrics metrics) {
        this.normalisers = normalisers;
        this.reader = reader;
        this.ingestion = ingestion;
        this.metrics = metrics;
    }

    /**
     * @throws RejectedDeliveryException the request is not an acceptable delivery
     * @throws EventNotStoredException   its events could not be stored now; Bitbucket sends it again
     */
    public DeliveryAnswer receive(DeliveryHeaders headers, InputStream body) {
        ProviderNormaliser normaliser = normalisers.of(headers);
        try {
            NormalisedDelivery delivery = reader.read(normaliser, headers, body);
            if (!delivery.needsAction()) {
                metrics.count(normaliser.provider(), headers.eventKey(), Outcome.IGNORED);
                return new DeliveryAnswer.Ignored(delivery.ignoredBecause());
            }
            DeliveryAnswer.Accepted accepted = ingestion.accept(delivery);
            metrics.count(normaliser.provider(), headers.eventKey(),
                    accepted.duplicate() ? Outcome.DUPLICATE : Outcome.PUBLISHED);
            return accepted;
        } catch (RejectedDeliveryException e) {
            metrics.count(normaliser.provider(), headers.eventKey(), e.rejection());
            throw e;
        } catch (EventNotStoredException e) {
            metrics.count(normaliser.provider(), headers.eventKey(), Outcome.NOT_STORED);
            throw e;
        }
    }

    /** A request refused by its Content-Length alone, before its body is read. */
    public void refusedAsTooLarge(DeliveryHeaders headers) {
        metrics.count(normalisers.of(headers).provider(), headers.eventKey(), Outcome.TOO_LARGE);
    }
}
