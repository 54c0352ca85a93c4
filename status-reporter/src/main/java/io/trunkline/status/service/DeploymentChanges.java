package io.trunkline.status.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.status.persistence.DeploymentReadModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The live feed of deployment changes behind {@code GET /api/events}. A transaction that changes a
 * deployment sends a PostgreSQL notification, delivered only if it commits and to every instance; each
 * instance listens on its own connection and broadcasts the deployment as it now is to its subscribers.
 * So a browser connected to any instance sees every change, whichever instance consumed the event.
 */
@ApplicationScoped
public class DeploymentChanges {

    static final String CHANNEL = DeploymentReadModel.CHANGE_CHANNEL;
    private static final Logger LOG = Logger.getLogger(DeploymentChanges.class);
    private static final long WAIT_MS = 500;
    private static final long RECONNECT_MS = 2_000;
    private static final int SUBSCRIBER_BUFFER = 1_024;

    private final AgroalDataSource dataSource;
    private final DeploymentReadModel readModel;
    private final String url;
    private final String username;
    private final String password;
    private final BroadcastProcessor<DeploymentView> broadcast = BroadcastProcessor.create();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger subscribers = new AtomicInteger();
    private Thread listener;

    public DeploymentChanges(AgroalDataSource dataSource, DeploymentReadModel readModel,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "") String username,
            @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "") String password) {
        this.dataSource = dataSource;
        this.readModel = readModel;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** Tells every instance, once the caller's transaction commits, that {@code deploymentId} changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(UUID deploymentId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, deploymentId.toString());
            notify.executeQuery().close();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not announce the change of deployment " + deploymentId, e);
        }
    }

    /**
     * Every deployment change from now on, as the deployment now is; up to 1,024 changes wait for a subscriber that
     * is slower than the changes. While nobody follows the feed, changes are not read back from the database at all.
     */
    public Multi<DeploymentView> stream() {
        // a burst of changes is buffered for a subscriber still writing the previous one, never failed for it
        return broadcast.onOverflow().buffer(SUBSCRIBER_BUFFER)
                .onSubscription().invoke(subscription -> subscribers.incrementAndGet())
                .onTermination().invoke(subscribers::decrementAndGet);
    }

    void start(@Observes StartupEvent event) {
        running.set(true);
        listener = new Thread(this::listen, "deployment-changes");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running.set(false);
        if (listener != null) {
            listener.interrupt();
        }
        broadcast.onComplete();
    }

    private void listen() {
        boolean warned = false;
        while (running.get()) {
            try (Connection connection = DriverManager.getConnection(url, username, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                warned = false;
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (running.get()) {
                    PGNotification[] notifications = postgres.getNotifications((int) WAIT_MS);
                    if (notifications != null && subscribers.get() > 0) {
                        // a deployment that changed several times since the last wait is read once
                        Set<UUID> changed = new LinkedHashSet<>();
                        for (PGNotification notification : notifications) {
                            changed.add(UUID.fromString(notification.getParameter()));
                        }
                        changed.forEach(this::publish);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                if (!warned) {
                    LOG.warnf("Live deployment feed lost its database connection, reconnecting: %s", e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(RECONNECT_MS); // a dedicated thread waiting for the database to come back
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void publish(UUID deploymentId) {
        DeploymentView view = QuarkusTransaction.requiringNew().call(
                () -> readModel.find(deploymentId).map(DeploymentView::of).orElse(null));
        if (view != null) {
            broadcast.onNext(view);
        }
    }
}
