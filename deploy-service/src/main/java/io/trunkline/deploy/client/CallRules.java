package io.trunkline.deploy.client;

import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * What a deployment allows its calls.
 *
 * @param repeatUnknownOutcomes the target is idempotent: a call whose outcome is unknown may be made again
 * @param notAfter no attempt starts after this time (promotion-service has given up by then); null for no limit
 * @param leaseHeld checked before each further attempt: false once this instance may have lost the run to another
 */
public record CallRules(boolean repeatUnknownOutcomes, Instant notAfter, BooleanSupplier leaseHeld) {

    /** No limit but the retry budget, for a run nobody else can take over. */
    public static CallRules unrestricted(boolean repeatUnknownOutcomes) {
        return new CallRules(repeatUnknownOutcomes, null, () -> true);
    }
}
