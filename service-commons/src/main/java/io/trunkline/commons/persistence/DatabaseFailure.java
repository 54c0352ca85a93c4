package io.trunkline.commons.persistence;

import java.sql.SQLException;

/**
 * An {@link SQLException} of a plain-SQL statement, unchecked. The SQLException stays the cause: a consumer's
 * {@code FailureClassifier} tells an outage from a defect by it.
 */
public class DatabaseFailure extends RuntimeException {

    public DatabaseFailure(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
