package io.trunkline.commons.messaging;

import io.trunkline.events.EventCodec;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Decides what a consumer does with a record whose processing threw. Only a record that can never
 * be processed is dead-lettered; everything else is retried, because a record thrown away on an
 * outage is a push never deployed or an outcome never recorded. Pure: no I/O.
 */
public final class FailureClassifier {

    /** SQLSTATEs of a database that is unavailable for now or refused the transaction for now. */
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of(
            "40001", // serialization failure
            "40P01", // deadlock detected
            "53300", // too many connections
            "55P03", // lock not available
            "55000", // object not in prerequisite state: "database is not currently accepting connections"
            "57P01", // admin shutdown
            "57P02", // crash shutdown
            "57P03"); // cannot connect now (starting up)

    private FailureClassifier() {
    }

    public enum Kind {
        /** Never processable: dead-letter it. */
        POISON,
        /** A dependency is unavailable (database, broker, downstream API): wait and retry. */
        OUTAGE,
        /** Neither recognised as an outage nor as poison: most likely a defect; retried, and logged in full. */
        UNEXPECTED
    }

    public static Kind classify(Throwable failure) {
        boolean outage = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecordException || t instanceof EventCodec.MalformedEventException) {
                return Kind.POISON;
            }
            outage |= isOutage(t);
        }
        return outage ? Kind.OUTAGE : Kind.UNEXPECTED;
    }

    private static boolean isOutage(Throwable t) {
        if (t instanceof TransientFailure || t instanceof RetriableException || t instanceof TimeoutException
                || t instanceof IOException || t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            // class 08: connection exceptions
            return sql.getSQLState().startsWith("08") || TRANSIENT_SQL_STATES.contains(sql.getSQLState());
        }
        String name = t.getClass().getName();
        // Hibernate's and Agroal's names for "no connection to the database"
        return name.equals("org.hibernate.exception.JDBCConnectionException")
                || (name.equals("org.hibernate.exception.GenericJDBCException")
                        && String.valueOf(t.getMessage()).startsWith("Unable to acquire JDBC Connection"))
                || name.equals("org.hibernate.exception.LockAcquisitionException")
                || (t instanceof SQLException && String.valueOf(t.getMessage()).contains("Acquisition timeout"));
    }
}
