package io.trunkline.commons.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.trunkline.commons.messaging.EventSender;
import io.trunkline.commons.persistence.DatabaseFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in insertion order and deletes them once the broker has
 * acknowledged them. It runs right after each commit that appended rows, and on a schedule for
 * anything left behind (a crash, a broker outage). Rows fall into {@code trunkline.outbox.slots}
 * slots by their partition key; a relay run takes a PostgreSQL advisory lock on each slot it can
 * get and publishes the rows of those slots only. Instances sharing the table thus relay in
 * parallel, while the rows of one key are only ever published by one relay at a time, in order.
 * Delivery is at least once; consumers drop duplicates by event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH_SIZE = 200;
    private static final long LOCK_BUSY_RETRY_MS = 25;
    private static final String LOCK_SLOTS = """
            SELECT slot FROM generate_series(0, ? - 1) AS slot
            WHERE pg_try_advisory_xact_lock(hashtext('trunkline.outbox-relay'), slot)""";
    /** Takes a batch out of the table; the deletion only commits once the broker acknowledged every row of it. */
    private static final String TAKE_BATCH = """
            DELETE FROM outbox_event WHERE id IN (
                SELECT id FROM outbox_event
                WHERE (hashtext(partition_key) & 2147483647) % ? = ANY(?)
                ORDER BY id LIMIT ?)
            RETURNING id, topic, partition_key, event_id, event_type, subject, occurred_at, payload""";

    private final EventSender sender;
    private final AgroalDataSource dataSource;
    private final Duration sendTimeout;
    private final int slots;
    private final ThreadContext withoutTransaction = ThreadContext.builder()
            .propagated(ThreadContext.NONE)
            .cleared(ThreadContext.TRANSACTION)
            .unchanged(ThreadContext.ALL_REMAINING)
            .build();
    private final AtomicBoolean requested = new AtomicBoolean();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });

    public OutboxRelay(EventSender sender, AgroalDataSource dataSource,
            @ConfigProperty(name = "trunkline.outbox.send-timeout", defaultValue = "10s") Duration sendTimeout,
            @ConfigProperty(name = "trunkline.outbox.slots", defaultValue = "8") int slots) {
        this.sender = sender;
        this.dataSource = dataSource;
        this.sendTimeout = sendTimeout;
        this.slots = slots;
    }

    /** Asks for a relay run soon; requests made while one is pending are folded into it. */
    public void requestRelay() {
        if (!executor.isShutdown() && requested.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // shutting down: what is left stays in the table for the next start
            }
        }
    }

    @Scheduled(every = "${trunkline.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        requestRelay();
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdown();
    }

    private void drain() {
        requested.set(false);
        try {
            BatchResult result;
            do {
                result = QuarkusTransaction.requiringNew().call(this::relayBatch);
            } while (result == BatchResult.FULL);
            if (result == BatchResult.LOCKED_ELSEWHERE) {
                executor.schedule(this::requestRelay, LOCK_BUSY_RETRY_MS, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Outbox relay failed, retrying on the next poll: %s", e.getMessage());
        }
    }

    /**
     * One batch in the caller's transaction, in plain SQL on its connection: the statements are the same every run
     * (slot lists go as arrays), so neither Hibernate nor PostgreSQL plans them again. Two statements: lock the
     * slots, then take (delete and return) the batch; the deletion commits with the transaction, after the broker
     * acknowledged the batch.
     */
    private BatchResult relayBatch() {
        try (Connection connection = dataSource.getConnection()) {
            // every slot this run can have; another instance holds the rest until its transaction ends
            List<Integer> locked = new ArrayList<>(slots);
            try (PreparedStatement lock = connection.prepareStatement(LOCK_SLOTS)) {
                lock.setInt(1, slots);
                try (ResultSet rows = lock.executeQuery()) {
                    while (rows.next()) {
                        locked.add(rows.getInt(1));
                    }
                }
            }
            if (locked.isEmpty()) {
                return BatchResult.LOCKED_ELSEWHERE;
            }
            List<Row> batch = new ArrayList<>();
            try (PreparedStatement take = connection.prepareStatement(TAKE_BATCH)) {
                take.setInt(1, slots);
                take.setArray(2, connection.createArrayOf("integer", locked.toArray()));
                take.setInt(3, BATCH_SIZE);
                try (ResultSet rows = take.executeQuery()) {
                    while (rows.next()) {
                        batch.add(new Row(rows.getLong(1), rows.getString(2), rows.getString(3),
                                rows.getObject(4, UUID.class), rows.getString(5), rows.getString(6),
                                rows.getObject(7, OffsetDateTime.class).toInstant(), rows.getString(8)));
                    }
                }
            }
            if (batch.isEmpty()) {
                return locked.size() < slots ? BatchResult.LOCKED_ELSEWHERE : BatchResult.EMPTY;
            }
            batch.sort(Comparator.comparingLong(Row::id)); // RETURNING keeps no order
            // a send that fails or times out throws: the transaction rolls back and the rows are back for the next run
            publish(batch);
            if (batch.size() == BATCH_SIZE) {
                return BatchResult.FULL;
            }
            return locked.size() < slots ? BatchResult.LOCKED_ELSEWHERE : BatchResult.PARTIAL;
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not take a batch from the outbox", e);
        }
    }

    /** Sends the rows and waits until the broker has acknowledged every one. */
    private void publish(List<Row> batch) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
        for (Row row : batch) {
            // the acknowledgement arrives on a producer thread: it must not join this transaction
            acks.add(withoutTransaction.contextualSupplier(() -> sender.send(row.topic(), row.partitionKey(), row.eventId(),
                    row.eventType(), row.subject(), row.occurredAt(), row.payload()).subscribeAsCompletionStage()).get());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .orTimeout(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    private record Row(long id, String topic, String partitionKey, UUID eventId, String eventType, String subject,
            Instant occurredAt, String payload) {
    }

    private enum BatchResult { EMPTY, PARTIAL, FULL, LOCKED_ELSEWHERE }
}
