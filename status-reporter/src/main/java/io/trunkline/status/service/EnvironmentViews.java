package io.trunkline.status.service;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.status.persistence.Deployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What runs where now, per repository and environment, from the read model. */
@ApplicationScoped
public class EnvironmentViews {

    private final AgroalDataSource dataSource;

    public EnvironmentViews(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One repository's environments. */
    public record RepositoryEnvironments(String provider, String repository, List<EnvironmentView> environments) {
    }

    /**
     * An environment: {@code current} is the deployment running there now (its last success; none
     * before the first or after a preview's teardown), {@code latest} the newest deployment whatever
     * its state, {@code pending} those queued, waiting for approval or in progress, oldest first, each
     * with its reason (a hold after a rollback, a freeze window, a soak). Previews carry their pull request.
     */
    public record EnvironmentView(String name, Long pullRequestId, DeploymentView current, DeploymentView latest,
            List<DeploymentView> pending) {
    }

    public List<RepositoryEnvironments> all() {
        List<Deployment> latest;
        Map<String, Deployment> lastSuccess;
        Map<String, List<Deployment>> pending;
        try (Connection connection = dataSource.getConnection()) {
            latest = deployments(connection, """
                    SELECT DISTINCT ON (provider, workspace, slug, environment) %s FROM deployment
                    ORDER BY provider, workspace, slug, environment, created_at DESC, id DESC""");
            lastSuccess = deployments(connection, """
                    SELECT DISTINCT ON (provider, workspace, slug, environment) %s FROM deployment
                    WHERE state = 'SUCCEEDED'
                    ORDER BY provider, workspace, slug, environment, updated_at DESC, id DESC""").stream()
                    .collect(Collectors.toMap(EnvironmentViews::key, Function.identity()));
            pending = deployments(connection, """
                    SELECT %s FROM deployment WHERE state IN ('QUEUED', 'WAITING_APPROVAL', 'IN_PROGRESS')
                    ORDER BY created_at, id""").stream()
                    .collect(Collectors.groupingBy(EnvironmentViews::key, LinkedHashMap::new, Collectors.toList()));
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read the environments", e);
        }

        Map<String, RepositoryEnvironments> repositories = new LinkedHashMap<>();
        latest.stream()
                .sorted(Comparator.comparing((Deployment d) -> d.provider.id()).thenComparing(d -> d.workspace)
                        .thenComparing(d -> d.slug).thenComparing(d -> d.environment.startsWith("preview/"))
                        .thenComparing(d -> d.environment))
                .forEach(newest -> {
                    Deployment success = lastSuccess.get(key(newest));
                    List<Deployment> waiting = pending.getOrDefault(key(newest), List.of());
                    boolean tornDown = success != null && success.operation == DeploymentOperation.TEARDOWN;
                    if (tornDown && waiting.isEmpty() && newest.state.isFinal()) {
                        return; // a preview that was torn down runs nothing and waits for nothing
                    }
                    EnvironmentView view = new EnvironmentView(newest.environment, newest.pullRequestId,
                            success == null || tornDown ? null : DeploymentView.of(success), DeploymentView.of(newest),
                            waiting.stream().map(DeploymentView::of).toList());
                    repositories.computeIfAbsent(newest.provider.id() + ":" + newest.workspace + "/" + newest.slug,
                            name -> new RepositoryEnvironments(newest.provider.id(), newest.workspace + "/" + newest.slug,
                                    new ArrayList<>())).environments().add(view);
                });
        return List.copyOf(repositories.values());
    }

    /** The deployments {@code select} finds; its {@code %s} stands for the deployment's columns. */
    private static List<Deployment> deployments(Connection connection, String select) throws SQLException {
        List<Deployment> deployments = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(select.formatted(Deployment.COLUMNS));
                ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                deployments.add(Deployment.read(row));
            }
        }
        return deployments;
    }

    private static String key(Deployment deployment) {
        return deployment.provider.id() + ":" + deployment.workspace + "/" + deployment.slug + "/" + deployment.environment;
    }
}
