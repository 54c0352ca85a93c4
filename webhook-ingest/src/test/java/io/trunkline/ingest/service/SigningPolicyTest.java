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

    private static boolean accepts(SigningPolicy policy, String signature) {
        try {
            policy.verify(Optional.of("acme/shop"), BODY, signature);
            return true;
        } catch (RejectedDeliveryException e) {
            assertThat(e.rejection()).isEqualTo(RejectedDeliveryException.Rejection.BAD_SIGNATURE);
            return false;
        }
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
}
