package io.trunkline.promotion.service;

/** A request named {@code workspace/slug} without a provider, and both Bitbucket Cloud and Data Center have it configured. */
public class AmbiguousRepositoryException extends RuntimeException {

    public AmbiguousRepositoryException(String workspace, String slug) {
        super(workspace + "/" + slug + " is configured for both bitbucket-cloud and bitbucket-data-center: "
                + "name one with ?provider=.");
    }
}
