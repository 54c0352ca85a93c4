package io.trunkline.commons.messaging;

/**
 * A record that can never be processed, however often it is retried: not a valid event, of an
 * event type or version this service does not know, or invalid by the event contract. It goes to
 * the consumer's dead-letter topic with this message as the reason; nothing else does.
 */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
