package io.trunkline.ingest.persistence;

import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;

/** One branch or tag of one repository on one Bitbucket installation. */
public record RefKey(ScmProvider provider, String repository, RefType refType, String refName) {

    public static RefKey of(RepositoryRef repository, RefType refType, String refName) {
        return new RefKey(repository.provider(), repository.fullName(), refType, refName);
    }

    /** Spreads refs over advisory locks; two refs that share one only wait for each other a moment. */
    int lockId() {
        return (provider.id() + '\u0000' + repository + '\u0000' + refType + '\u0000' + refName).hashCode();
    }
}
