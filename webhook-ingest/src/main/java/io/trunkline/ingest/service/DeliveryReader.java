package io.trunkline.ingest.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.RejectedDeliveryException.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a webhook request and says what it means, in this order: declared JSON (415); at most
 * {@code max-body-bytes}, read no further (413); signed with the secret that applies to the repository
 * the body names, the only thing read before the signature is checked (401); an event key (400); a
 * JSON object without duplicate fields (400); a well-formed payload of its event key (400), naming
 * the same repository the secret was chosen for.
 */
@ApplicationScoped
public class DeliveryReader {

    private final SigningPolicy signingPolicy;
    private final WebhookConfig config;
    private final ObjectMapper mapper;

    public DeliveryReader(SigningPolicy signingPolicy, WebhookConfig config, ObjectMapper mapper) {
        this.signingPolicy = signingPolicy;
        this.config = config;
        this.mapper = mapper.copy()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** @throws RejectedDeliveryException the request is not an acceptable delivery */
    public NormalisedDelivery read(ProviderNormaliser normaliser, DeliveryHeaders headers, InputStream in) {
        if (!isJson(headers.contentType())) {
            throw new RejectedDeliveryException(Rejection.NOT_JSON,
                    "The body must be JSON (Content-Type: application/json).");
        }
        byte[] body = RequestBodies.readAtMost(in, config.maxBodyBytes());
        if (body.length == 0) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The request body is empty.");
        }
        Optional<String> repository = normaliser.repositoryName(headers.eventKey(),
                new UnverifiedBody(body, mapper.getFactory()));
        signingPolicy.verify(repository, body, headers.signature());
        if (headers.eventKey() == null || headers.eventKey().isBlank()) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The X-Event-Key header is missing.");
        }
        WebhookDelivery delivery = new WebhookDelivery(normaliser.provider(), headers.eventKey(),
                headers.deliveryId(normaliser.provider()), parse(body));
        NormalisedDelivery normalised;
        try {
            normalised = normaliser.normalise(delivery, Instant.now());
        } catch (InvalidPayloadException e) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The " + EventKeys.describe(headers.eventKey())
                    + " payload is malformed: " + e.getMessage() + ".");
        }
        for (TrunklineEvent event : normalised.events()) {
            if (!repository.map(repositoryOf(event).fullName()::equals).orElse(false)) {
                throw new RejectedDeliveryException(Rejection.MALFORMED,
                        "The body does not name its repository in one unambiguous way.");
            }
        }
        return normalised;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private static RepositoryRef repositoryOf(TrunklineEvent event) {
        if (event instanceof RefsPushed push) {
            return push.repository();
        }
        if (event instanceof PullRequestChanged pullRequest) {
            return pullRequest.repository();
        }
        throw new IllegalStateException("no repository in " + event.eventType());
    }

    private JsonNode parse(byte[] body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (MismatchedInputException e) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The body is not valid JSON: it has more than one value.");
        } catch (StreamConstraintsException e) {
            throw new RejectedDeliveryException(Rejection.MALFORMED,
                    "The body is not acceptable JSON: it is nested too deeply or holds too long a value.");
        } catch (JsonProcessingException e) {
            // the parser's message may quote the body: say only what and where
            String what = String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")
                    ? "a field appears twice in one object" : "it does not parse";
            JsonLocation where = e.getLocation();
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The body is not valid JSON: " + what
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")
                    + ".");
        } catch (IOException e) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The body could not be read.");
        }
        if (node == null || !node.isObject()) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The body is not a JSON object.");
        }
        return node;
    }
}
