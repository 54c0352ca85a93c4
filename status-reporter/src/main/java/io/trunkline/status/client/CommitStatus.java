package io.trunkline.status.client;

/**
 * The body of a Bitbucket build status on a commit. Cloud ({@code statuses/build}) and Data Center
 * ({@code build-status/1.0}) take the same fields. Bitbucket keeps one status per {@code key}: a
 * new post with the same key replaces the previous one.
 */
public record CommitStatus(String key, BuildState state, String name, String url, String description) {
}
