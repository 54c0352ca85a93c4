package io.trunkline.events;

/**
 * One ref moved by a push. {@code oldCommit} is null when the ref was created,
 * {@code newCommit} null when it was deleted. Commits are full 40-character hashes.
 */
public record RefChange(RefType refType, String refName, String oldCommit, String newCommit, boolean forced) {

    public boolean created() {
        return oldCommit == null && newCommit != null;
    }

    public boolean deleted() {
        return newCommit == null;
    }
}
