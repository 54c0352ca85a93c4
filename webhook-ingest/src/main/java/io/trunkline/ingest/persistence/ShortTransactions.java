package io.trunkline.ingest.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Runs work in a transaction of its own that is over before anything else happens: no connection
 * is held while the request waits for the broker. A failure of the database (refused or cut
 * connection, acquisition timeout, failed commit) is retried twice at once, because the first use
 * of each pooled connection after a PostgreSQL restart fails, and then surfaces as
 * {@link DatabaseUnavailableException}. Integrity and SQL errors are bugs and pass through as they are.
 */
@ApplicationScoped
public class ShortTransactions {

    private final Guard retry = Guard.create()
            .withDescription("short database transaction")
            .withRetry()
            .maxRetries(2)
            .delay(100, ChronoUnit.MILLIS)
            .jitter(50, ChronoUnit.MILLIS)
            .maxDuration(3, ChronoUnit.SECONDS)
            .retryOn(DatabaseUnavailableException.class)
            .done()
            .build();

    @SuppressWarnings("unchecked")
    public <T> T call(Supplier<T> work) {
        return (T) retry.get(() -> once(work), Object.class);
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    private static <T> T once(Supplier<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work::get);
        } catch (RuntimeException e) {
            if (isDatabaseFailure(e)) {
                throw new DatabaseUnavailableException(e);
            }
            throw e;
        }
    }

    /** True for an outage; false for what retrying cannot fix (constraint violations, bad SQL) and non-database errors. */
    static boolean isDatabaseFailure(Throwable e) {
        boolean database = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("23") || state.startsWith("42"))) {
                    return false;
                }
                database = true;
            } else if (cause instanceof io.quarkus.narayana.jta.QuarkusTransactionException
                    || cause.getClass().getName().startsWith("jakarta.transaction.")) {
                database = true;
            }
        }
        return database;
    }
}
