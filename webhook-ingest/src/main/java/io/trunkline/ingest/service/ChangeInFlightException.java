package io.trunkline.ingest.service;

import java.util.UUID;

/** Another delivery claimed the same change and is waiting for the broker: wait for its outcome. */
class ChangeInFlightException extends RuntimeException {

    ChangeInFlightException(UUID claimingEventId) {
        super("the same change is being published as event " + claimingEventId, null, false, false);
    }
}
