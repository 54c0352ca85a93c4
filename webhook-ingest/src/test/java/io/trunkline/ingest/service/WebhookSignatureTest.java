package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final byte[] BODY = "{\"push\":{}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsWithHmacSha256Hex() {
        // echo -n '{"push":{}}' | openssl dgst -sha256 -hmac secret
        assertThat(WebhookSignature.sign("secret", BODY))
                .isEqualTo("sha256=e8679b2262df301abe06fb4316aaa36c23738d3af13fc0d5cadfacaab0904eb1");
    }

    @Test
    void acceptsOnlyTheRightSignature() {
        String good = WebhookSignature.sign("secret", BODY);

        assertThat(WebhookSignature.matches("secret", BODY, good)).isTrue();
        assertThat(WebhookSignature.matches("secret", BODY, good.toUpperCase().replace("SHA256=", "sha256="))).isTrue();
        assertThat(WebhookSignature.matches("other", BODY, good)).isFalse();
        assertThat(WebhookSignature.matches("secret", "{}".getBytes(StandardCharsets.UTF_8), good)).isFalse();
        assertThat(WebhookSignature.matches("secret", BODY, null)).isFalse();
        assertThat(WebhookSignature.matches("secret", BODY, good.substring(7))).isFalse();
        assertThat(WebhookSignature.matches("secret", BODY, "sha256=zz")).isFalse();
        assertThat(WebhookSignature.matches("secret", BODY, "sha256=" + "0".repeat(64))).isFalse();
    }
}
