package io.trunkline.promotion.client;

/**
 * What Bitbucket said about a hash: the full hash of the commit it names, or why it names none for good
 * (no such commit, no access). Never a transient failure: that is {@link BitbucketUnavailableException}.
 */
public record CommitLookup(String fullHash, String failure) {

    public static CommitLookup found(String fullHash) {
        return new CommitLookup(fullHash, null);
    }

    public static CommitLookup refused(String failure) {
        return new CommitLookup(null, failure);
    }

    public boolean found() {
        return fullHash != null;
    }
}
