package io.trunkline.status.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A build status on a commit. Bitbucket keeps one status per {@code key} and commit: a new post with
 * the same key replaces the previous one. {@code refname} is the full name of the branch or tag the
 * commit was deployed from ({@code refs/heads/main}, {@code refs/tags/release-1}), as Data Center takes
 * it; Cloud is sent the short name ({@link #forCloud()}). A pull request shows the statuses of its source
 * branch. Null where unknown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommitStatus(String key, BuildState state, String name, String url, String description, String refname) {

    /** The status as Bitbucket Cloud takes it: {@code refname} without {@code refs/heads/} or {@code refs/tags/}. */
    public CommitStatus forCloud() {
        if (refname == null) {
            return this;
        }
        String shortName = refname.replaceFirst("^refs/(heads|tags)/", "");
        return new CommitStatus(key, state, name, url, description, shortName);
    }
}
