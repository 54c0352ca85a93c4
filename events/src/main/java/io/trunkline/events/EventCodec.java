package io.trunkline.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Optional;

/**
 * The JSON form of every event: the CloudEvents {@code data}. Unknown fields are ignored so
 * that an older consumer keeps working when a producer adds one.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private EventCodec() {
    }

    public static String encode(TrunklineEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.eventType(), e);
        }
    }

    /**
     * Reads the event of the given CloudEvents type; empty for a type this version does not know.
     *
     * @throws MalformedEventException when the JSON does not fit the type
     */
    public static Optional<TrunklineEvent> decode(String type, String json) {
        Optional<Class<? extends TrunklineEvent>> eventClass = classOf(type);
        if (eventClass.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(json, eventClass.get()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new MalformedEventException("not a valid " + type + " event: " + originalMessage(e), e);
        }
    }

    static Optional<Class<? extends TrunklineEvent>> classOf(String type) {
        if (type == null) {
            return Optional.empty();
        }
        if (type.equals(RefsPushed.TYPE)) {
            return Optional.of(RefsPushed.class);
        }
        if (type.equals(PullRequestChanged.TYPE)) {
            return Optional.of(PullRequestChanged.class);
        }
        if (type.equals(DeploymentRequested.TYPE)) {
            return Optional.of(DeploymentRequested.class);
        }
        if (type.equals(DeploymentCancelRequested.TYPE)) {
            return Optional.of(DeploymentCancelRequested.class);
        }
        if (type.startsWith(DeploymentStateChanged.TYPE_PREFIX)) {
            return Optional.of(DeploymentStateChanged.class);
        }
        if (type.equals(RepositoryWebhookSecretChanged.TYPE)) {
            return Optional.of(RepositoryWebhookSecretChanged.class);
        }
        return Optional.empty();
    }

    public static final class MalformedEventException extends RuntimeException {
        MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static String originalMessage(Throwable e) {
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    }
}
