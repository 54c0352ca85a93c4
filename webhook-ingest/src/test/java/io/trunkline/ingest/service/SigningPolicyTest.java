package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trunkline.ingest.config.WebhookConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigningPolicyTest {

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private static SigningPolicy policy(String secret, boolean allowUnsigned) {
        return new SigningPolicy(new WebhookConfig() {
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
            public Duration retryAfter() {
                return Duration.ofSeconds(10);
            }
        });
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

        assertThat(policy.accepts(BODY, WebhookSignature.sign("secret", BODY))).isTrue();
        assertThat(policy.accepts(BODY, null)).isFalse();
        assertThat(policy.accepts(BODY, WebhookSignature.sign("other", BODY))).isFalse();
    }

    @Test
    void withoutSecretUnsignedDeliveriesPassOnlyWhenAllowed() {
        assertThat(policy(null, true).accepts(BODY, null)).isTrue();
        assertThat(policy(null, false).accepts(BODY, null)).isFalse();
    }
}
