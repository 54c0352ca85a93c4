package io.trunkline.status.persistence;

import static io.trunkline.commons.persistence.Timestamps.instant;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.ScmProvider;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** A deployment as last reported ({@code deployment}): what was deployed where, and the state it is in. */
public class Deployment {

    /** The columns {@link #read} reads, in the table's order. */
    public static final String COLUMNS = """
            id, provider, workspace, slug, environment, commit_hash, operation, pull_request_id, state, reason,
            created_at, updated_at, ref_name, environment_url, target_url, verification, triggered_by,
            report_refused_at, report_refusal""";

    public UUID id;

    /** Stored by its public id ({@code bitbucket-cloud}), as events and APIs name it. */
    public ScmProvider provider;

    /** For Bitbucket Data Center, the project key. */
    public String workspace;

    public String slug;

    public String environment;

    /** Column {@code commit_hash}. */
    public String commit;

    public DeploymentOperation operation;

    public Long pullRequestId;

    public DeploymentState state;

    /** Why the deployment is in its state, for people; null where the event gave no reason. */
    public String reason;

    /** When the first reported state was entered. */
    public Instant createdAt;

    /** When the current state was entered. */
    public Instant updatedAt;

    /** The branch or tag deployed, as a full ref ({@code refs/heads/main}); null where the events did not say. */
    public String refName;

    /** Where the deployed environment answers (a preview's URL); null where unknown. */
    public String environmentUrl;

    /** The run at the target (a pipeline's page, a Pulumi console URL); null where unknown. */
    public String targetUrl;

    /**
     * How the deployment's verify checks went (JSON of {@code VerificationResult}), as the latest event with one
     * said; null where the environment has no checks or they have not run.
     */
    public String verification;

    /** Who or what started the deployment (a push by alice, an operator's redeploy); null where unknown. */
    public String triggeredBy;

    /** When Bitbucket refused for good to show this deployment (401, 403, 404...); null while it has not. */
    public Instant reportRefusedAt;

    /** Bitbucket's refusal, e.g. "Bitbucket answered 403 to ..."; never a credential. */
    public String reportRefusal;

    /** The deployment of the current row of a result holding {@link #COLUMNS}. */
    public static Deployment read(ResultSet row) throws SQLException {
        Deployment deployment = new Deployment();
        deployment.id = row.getObject("id", UUID.class);
        deployment.provider = ScmProvider.fromId(row.getString("provider"));
        deployment.workspace = row.getString("workspace");
        deployment.slug = row.getString("slug");
        deployment.environment = row.getString("environment");
        deployment.commit = row.getString("commit_hash");
        deployment.operation = DeploymentOperation.valueOf(row.getString("operation"));
        long pullRequestId = row.getLong("pull_request_id");
        deployment.pullRequestId = row.wasNull() ? null : pullRequestId;
        deployment.state = DeploymentState.valueOf(row.getString("state"));
        deployment.reason = row.getString("reason");
        deployment.createdAt = instant(row, "created_at");
        deployment.updatedAt = instant(row, "updated_at");
        deployment.refName = row.getString("ref_name");
        deployment.environmentUrl = row.getString("environment_url");
        deployment.targetUrl = row.getString("target_url");
        deployment.verification = row.getString("verification");
        deployment.triggeredBy = row.getString("triggered_by");
        deployment.reportRefusedAt = instant(row, "report_refused_at");
        deployment.reportRefusal = row.getString("report_refusal");
        return deployment;
    }
}
