package io.trunkline.ingest.service;

/**
 * The event of a delivery could not be stored for now, or the delivery could not even be verified for
 * now: it must be sent again later.
 */
public class EventNotStoredException extends RuntimeException {

    private final Reason reason;

    public EventNotStoredException(Reason reason, Throwable cause) {
        super(reason.description, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public enum Reason {
        BROKER("the event broker did not acknowledge the event in time"),
        DATABASE("the database that recognises repeated deliveries is unavailable"),
        CHANGE_IN_FLIGHT("another delivery of the same change is still being published"),
        SECRETS_LOADING("the repositories' webhook secrets are still being loaded"),
        SECRET_UNREADABLE("the repository has a webhook secret of its own that this service cannot read");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
