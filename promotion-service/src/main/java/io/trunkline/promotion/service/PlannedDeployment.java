package io.trunkline.promotion.service;

/** A deployment the rules call for, before the state machine decides whether and when it runs. */
public record PlannedDeployment(EnvironmentConfiguration environment, String commit, String branch, String tag) {
}
