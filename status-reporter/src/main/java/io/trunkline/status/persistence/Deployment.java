package io.trunkline.status.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.ScmProvider;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A deployment as last reported: what was deployed where, and the state it is in. */
@Entity
@Table(name = "deployment")
public class Deployment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Convert(converter = ScmProviderConverter.class)
    @Column(nullable = false)
    public ScmProvider provider;

    /** For Bitbucket Data Center, the project key. */
    @Column(nullable = false)
    public String workspace;

    @Column(nullable = false)
    public String slug;

    @Column(nullable = false)
    public String environment;

    @Column(name = "commit_hash")
    public String commit;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentOperation operation;

    @Column(name = "pull_request_id")
    public Long pullRequestId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentState state;

    /** Why the deployment is in its state, for people; null where the event gave no reason. */
    public String reason;

    /** When the first reported state was entered. */
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When the current state was entered. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The branch or tag deployed, as a full ref ({@code refs/heads/main}); null where the events did not say. */
    @Column(name = "ref_name")
    public String refName;

    /** Where the deployed environment answers (a preview's URL); null where unknown. */
    @Column(name = "environment_url")
    public String environmentUrl;

    /** The run at the target (a pipeline's page, a Pulumi console URL); null where unknown. */
    @Column(name = "target_url")
    public String targetUrl;

    /**
     * How the deployment's verify checks went (JSON of {@code VerificationResult}), as the latest event with one
     * said; null where the environment has no checks or they have not run.
     */
    public String verification;

    /** Who or what started the deployment (a push by alice, an operator's redeploy); null where unknown. */
    @Column(name = "triggered_by")
    public String triggeredBy;

    /** When Bitbucket refused for good to show this deployment (401, 403, 404...); null while it has not. */
    @Column(name = "report_refused_at")
    public Instant reportRefusedAt;

    /** Bitbucket's refusal, e.g. "Bitbucket answered 403 to ..."; never a credential. */
    @Column(name = "report_refusal")
    public String reportRefusal;
}
