package io.trunkline.promotion.client;

/** A branch or tag as Bitbucket lists it now: its short name and the full hash of its commit. */
public record RemoteRef(String name, String commit) {
}
