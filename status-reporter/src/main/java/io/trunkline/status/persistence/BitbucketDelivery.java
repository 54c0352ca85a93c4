package io.trunkline.status.persistence;

import static io.trunkline.commons.persistence.Timestamps.instant;

import io.trunkline.events.ScmProvider;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * An update Bitbucket has yet to take ({@code bitbucket_delivery}): the latest commit status of one key, or a pull
 * request's comment.
 */
public class BitbucketDelivery {

    public static final String COMMIT_STATUS = "commit-status";
    public static final String PULL_REQUEST_COMMENT = "pull-request-comment";

    public Long id;

    /** {@link #COMMIT_STATUS} or {@link #PULL_REQUEST_COMMENT}. */
    public String kind;

    /** What Bitbucket shows that this update replaces; unique, so newer updates collapse into one row. */
    public String target;

    /** The deployment of the latest update. */
    public UUID deploymentId;

    /** Stored by its public id ({@code bitbucket-cloud}). */
    public ScmProvider provider;

    public String workspace;

    public String slug;

    /** Column {@code commit_hash}. */
    public String commit;

    public Long pullRequestId;

    /** The JSON of what to post. */
    public String payload;

    /** Bumped by every newer update; the row is done once the posted revision is still the latest. */
    public int revision;

    /** Failed attempts since the last success; the back-off grows with them. */
    public int attempts;

    public Instant nextAttemptAt;

    public Instant claimedUntil;

    public String lastError;

    public Instant createdAt;

    public Instant updatedAt;

    /** The update of the current row of a result holding all of {@code bitbucket_delivery}'s columns. */
    public static BitbucketDelivery read(ResultSet row) throws SQLException {
        BitbucketDelivery delivery = new BitbucketDelivery();
        delivery.id = row.getLong("id");
        delivery.kind = row.getString("kind");
        delivery.target = row.getString("target");
        delivery.deploymentId = row.getObject("deployment_id", UUID.class);
        delivery.provider = ScmProvider.fromId(row.getString("provider"));
        delivery.workspace = row.getString("workspace");
        delivery.slug = row.getString("slug");
        delivery.commit = row.getString("commit_hash");
        long pullRequestId = row.getLong("pull_request_id");
        delivery.pullRequestId = row.wasNull() ? null : pullRequestId;
        delivery.payload = row.getString("payload");
        delivery.revision = row.getInt("revision");
        delivery.attempts = row.getInt("attempts");
        delivery.nextAttemptAt = instant(row, "next_attempt_at");
        delivery.claimedUntil = instant(row, "claimed_until");
        delivery.lastError = row.getString("last_error");
        delivery.createdAt = instant(row, "created_at");
        delivery.updatedAt = instant(row, "updated_at");
        return delivery;
    }
}
