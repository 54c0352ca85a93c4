package io.trunkline.ingest.persistence;

import java.sql.SQLException;

/** An {@link SQLException} of a statement, unchecked; {@link ShortTransactions} tells an outage from a bug. */
class PersistenceFailure extends RuntimeException {

    PersistenceFailure(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
