package io.trunkline.status.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.ScmProvider;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An update Bitbucket has yet to take: the latest commit status of one key, or a pull request's comment. */
@Entity
@Table(name = "bitbucket_delivery")
public class BitbucketDelivery extends PanacheEntityBase {

    public static final String COMMIT_STATUS = "commit-status";
    public static final String PULL_REQUEST_COMMENT = "pull-request-comment";

    @Id
    public Long id;

    /** {@link #COMMIT_STATUS} or {@link #PULL_REQUEST_COMMENT}. */
    @Column(nullable = false)
    public String kind;

    /** What Bitbucket shows that this update replaces; unique, so newer updates collapse into one row. */
    @Column(nullable = false)
    public String target;

    /** The deployment of the latest update. */
    @Column(name = "deployment_id", nullable = false)
    public UUID deploymentId;

    @Convert(converter = ScmProviderConverter.class)
    @Column(nullable = false)
    public ScmProvider provider;

    @Column(nullable = false)
    public String workspace;

    @Column(nullable = false)
    public String slug;

    @Column(name = "commit_hash")
    public String commit;

    @Column(name = "pull_request_id")
    public Long pullRequestId;

    /** The JSON of what to post. */
    @Column(nullable = false)
    public String payload;

    /** Bumped by every newer update; the row is done once the posted revision is still the latest. */
    @Column(nullable = false)
    public int revision;

    /** Failed attempts since the last success; the back-off grows with them. */
    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "claimed_until")
    public Instant claimedUntil;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
