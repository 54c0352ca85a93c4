package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TargetSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code reconcile} setting's validation and the pure parts of reconciliation. */
class ReconcileSettingTest {

    private static final ConfigurationValidator VALIDATOR = new ConfigurationValidator("TRUNKLINE_TARGET_",
            new CredentialFiles("/run/secrets"));

    private static RepositoryConfiguration withReconcile(ReconcileSetting reconcile) {
        return new RepositoryConfiguration(null, null, null, null, List.of(new EnvironmentConfiguration("staging", "trunk",
                TargetSpec.http("POST", "https://deploy.example.com/{commit}", null), null, null, null, null, null, null,
                null, null)), reconcile);
    }

    @Test
    void anIntervalOfAtLeastAMinuteIsValid() {
        assertThat(VALIDATOR.validate(withReconcile(null))).isEmpty();
        assertThat(VALIDATOR.validate(withReconcile(new ReconcileSetting("1m")))).isEmpty();
        assertThat(VALIDATOR.validate(withReconcile(new ReconcileSetting("60s")))).isEmpty();
        assertThat(VALIDATOR.validate(withReconcile(new ReconcileSetting("1h30m")))).isEmpty();
    }

    @Test
    void aMissingShortOrMalformedIntervalIsNamed() {
        assertThat(VALIDATOR.validate(withReconcile(new ReconcileSetting("59s"))))
                .extracting(ConfigurationError::field, ConfigurationError::message)
                .containsExactly(tuple("reconcile.interval", "must be at least 1m"));
        assertThat(VALIDATOR.validate(withReconcile(new ReconcileSetting("10 minutes"))))
                .extracting(ConfigurationError::field).containsExactly("reconcile.interval");
        assertThat(VALIDATOR.validate(withReconcile(new ReconcileSetting("0m"))))
                .extracting(ConfigurationError::field).containsExactly("reconcile.interval");
        assertThat(VALIDATOR.validate(withReconcile(new ReconcileSetting(null))))
                .extracting(ConfigurationError::field).containsExactly("reconcile.interval");
    }

    @Test
    void bitbucketIsAskedForTheTagsThatStartLikeThePattern() {
        assertThat(Reconciliation.literalPrefix("release-*")).isEqualTo("release-");
        assertThat(Reconciliation.literalPrefix("v?.*")).isEqualTo("v");
        assertThat(Reconciliation.literalPrefix("*-prod")).isEmpty();
        assertThat(Reconciliation.literalPrefix("stable")).isEqualTo("stable");
    }

    @Test
    void eventIdsFollowFromTheRunAndWhatItSaw() {
        RepositoryRef cloud = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "shop");
        RepositoryRef dataCenter = new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "acme", "shop");
        assertThat(Reconciliation.eventId(cloud, 3, "branch:main:a:b")).isEqualTo(Reconciliation.eventId(cloud, 3, "branch:main:a:b"));
        assertThat(Reconciliation.eventId(cloud, 3, "branch:main:a:b"))
                .as("the same change seen again by a later run is a real change")
                .isNotEqualTo(Reconciliation.eventId(cloud, 4, "branch:main:a:b"))
                .isNotEqualTo(Reconciliation.eventId(dataCenter, 3, "branch:main:a:b"));
    }
}
