package io.trunkline.promotion.service;

import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.client.BitbucketClient;
import io.trunkline.promotion.client.BitbucketUnavailableException;
import io.trunkline.promotion.client.CommitLookup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The full head commit of a pull request. Bitbucket Cloud's pull-request payloads carry 12-character
 * hashes; nothing is deployed or reported on one: it is resolved through the Bitbucket API
 * ({@code GET /2.0/repositories/{ws}/{slug}/commit/{hash}}, in the repository the commits come from),
 * outside any transaction. Bitbucket unavailable: {@link BitbucketUnavailableException}, and the event is
 * retried; a hash Bitbucket refuses for good: a lookup that says why, and the deployment is rejected.
 */
@ApplicationScoped
public class PullRequestCommits {

    private static final Logger LOG = Logger.getLogger(PullRequestCommits.class);

    private final BitbucketClient bitbucket;
    private final RepositoryConfigurations configurations;

    public PullRequestCommits(BitbucketClient bitbucket, RepositoryConfigurations configurations) {
        this.bitbucket = bitbucket;
        this.configurations = configurations;
    }

    /**
     * The full head commit of a pull request opened or updated in a repository with preview environments;
     * null where nothing will be deployed (another action, no preview environment, no head commit).
     *
     * @throws BitbucketUnavailableException when Bitbucket cannot answer now
     */
    public CommitLookup headOf(PullRequestChanged event) {
        if (!(event.action() == PullRequestAction.OPENED || event.action() == PullRequestAction.UPDATED)
                || event.sourceCommit() == null) {
            return null;
        }
        if (!event.sourceCommitAbbreviated() && Commits.isFull(event.sourceCommit())) {
            return CommitLookup.found(event.sourceCommit());
        }
        if (!hasPreviews(event.repository())) {
            return null;
        }
        RepositoryRef source = event.sourceRepository() == null ? event.repository() : event.sourceRepository();
        try {
            CommitLookup lookup = bitbucket.commit(source, event.sourceCommit());
            if (lookup.found() && !lookup.fullHash().startsWith(event.sourceCommit())) {
                return CommitLookup.refused("Bitbucket resolved " + event.sourceCommit() + " to "
                        + Commits.shortened(lookup.fullHash()) + ", another commit");
            }
            if (!lookup.found()) {
                LOG.warnf("Head commit %s of pull request %s#%d cannot be resolved: %s", event.sourceCommit(),
                        event.repository().fullName(), event.pullRequestId(), lookup.failure());
            }
            return lookup;
        } catch (RuntimeException e) {
            if (BitbucketClient.unavailable(e)) {
                throw e instanceof BitbucketUnavailableException unavailable ? unavailable
                        : new BitbucketUnavailableException("Bitbucket did not answer for commit "
                                + event.sourceCommit() + " of " + source.fullName() + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private boolean hasPreviews(RepositoryRef repository) {
        return configurations.get(repository)
                .map(stored -> stored.configuration().environments().stream()
                        .anyMatch(environment -> EnvironmentConfiguration.TRIGGER_PULL_REQUEST.equals(environment.trigger())))
                .orElse(false);
    }
}
