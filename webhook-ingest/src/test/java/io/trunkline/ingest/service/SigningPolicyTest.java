package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trunkline.ingest.config.WebhookConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigningPolicyTest {

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Optional<String> REPOSITORY = Optional.of("acme/shop");

    private static SigningPolicy policy(String secret, boolean allowUnsigned, SecretRequirement requirement) {
        WebhookConfig config = new WebhookConfig() {
            @Override
            public Optional<String> secret() {
                return Optional.ofNullable(secret);
            }

            @Override
            public boolean allowUnsigned() {
                return allowUnsigned;
            }

            @Override
            public int maxBodyBytes() {
                return 1024;
            }

            @Override
            public Duration publishTimeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration dedupeWindow() {
                return Duration.ofMinutes(10);
            }

            @Override
            public Optional<String> secretsKey() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> previousSecretsKeys() {
                return Optional.empty();
            }

            @Override
            public Duration retryAfter() {
                return Duration.ofSeconds(10);
            }

            @Override
            public Optional<List<String>> allowedSources() {
                return Optional.empty();
            }

            @Override
            public RateLimit rateLimit() {
                return null; // not the signing policy's business
            }
        };
        RepositorySecrets secrets = new RepositorySecrets(null, null, null, null, null, config) {
            @Override
            public SecretRequirement requirementFor(Optional<String> repositoryName) {
                return repositoryName.isPresent() ? requirement : SecretRequirement.GLOBAL;
            }
        };
        return new SigningPolicy(config, secrets);
    }

    private static SigningPolicy policy(String secret, boolean allowUnsigned) {
        return policy(secret, allowUnsigned, SecretRequirement.GLOBAL);
    }

    private static boolean accepts(SigningPolicy policy, Optional<String> repository, String signature) {
        try {
            policy.verify(repository, BODY, signature);
            return true;
        } catch (RejectedDeliveryException e) {
            assertThat(e.rejection()).isEqualTo(RejectedDeliveryException.Rejection.BAD_SIGNATURE);
            return false;
        }
    }

    private static boolean accepts(SigningPolicy policy, String signature) {
        return accepts(policy, REPOSITORY, signature);
    }

    @Test
    void refusesToStartWithoutSecretUnlessUnsignedIsAllowed() {
        assertThatThrownBy(() -> policy(null, false).checkOnStart(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TRUNKLINE_WEBHOOK_SECRET");
        policy(null, true).checkOnStart(null);
        policy("secret", false).checkOnStart(null);
    }

    @Test
    void aConfiguredSecretAlwaysApplies() {
        SigningPolicy policy = policy("secret", true);

        assertThat(accepts(policy, WebhookSignature.sign("secret", BODY))).isTrue();
        assertThat(accepts(policy, null)).isFalse();
        assertThat(accepts(policy, WebhookSignature.sign("other", BODY))).isFalse();
    }

    @Test
    void withoutSecretUnsignedDeliveriesPassOnlyWhenAllowed() {
        assertThat(accepts(policy(null, true), null)).isTrue();
        assertThat(accepts(policy(null, false), null)).isFalse();
    }

    @Test
    void aRepositorysOwnSecretReplacesTheGlobalOneAndIsNeverWaived() {
        SecretRequirement own = new SecretRequirement.Own(List.of("own"));

        for (SigningPolicy policy : List.of(policy("global", false, own), policy(null, true, own))) {
            assertThat(accepts(policy, WebhookSignature.sign("own", BODY))).isTrue();
            assertThat(accepts(policy, WebhookSignature.sign("global", BODY))).isFalse();
            assertThat(accepts(policy, null)).isFalse();
            assertThat(accepts(policy, "")).isFalse();
        }
    }

    @Test
    void aBodyThatNamesNoRepositoryMeetsTheGlobalRule() {
        SigningPolicy policy = policy("global", false, new SecretRequirement.Own(List.of("own")));

        assertThat(accepts(policy, Optional.empty(), WebhookSignature.sign("global", BODY))).isTrue();
        assertThat(accepts(policy, Optional.empty(), null)).isFalse();
    }
}
