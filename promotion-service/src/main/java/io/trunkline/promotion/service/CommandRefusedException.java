package io.trunkline.promotion.service;

/**
 * An operator command that cannot apply to the deployment or environment as it is now (approving a
 * deployment that does not wait for approval, rolling back to a commit that never succeeded there,
 * releasing an environment that is not held). {@code kind} names the case for clients.
 */
public class CommandRefusedException extends RuntimeException {

    private final String kind;

    public CommandRefusedException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** Short name of the case, e.g. {@code not-waiting-for-approval}. */
    public String kind() {
        return kind;
    }
}
