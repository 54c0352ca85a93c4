package io.trunkline.deploy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.trunkline.events.TargetSpec.SuccessCondition;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Appsmith's answers as its continuous-delivery endpoint gives them, checked against the configured condition. */
class SuccessCheckTest {

    private static final SuccessCondition APPSMITH = new SuccessCondition("/responseMeta/success", BooleanNode.TRUE);

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theExpectedValueAtThePointerIsSuccess() {
        assertThat(SuccessCheck.failure(APPSMITH, json("{\"responseMeta\":{\"status\":200,\"success\":true},"
                + "\"data\":{\"id\":\"660f7b\"}}"))).isEmpty();
        assertThat(SuccessCheck.failure(new SuccessCondition("/status", TextNode.valueOf("ok")), json("{\"status\":\"ok\"}")))
                .isEmpty();
        assertThat(SuccessCheck.failure(new SuccessCondition("/ok", null), json("{\"ok\":true}"))).isEmpty();
    }

    @Test
    void anyOtherValueFailsAndOnlyBooleansAndNullAreRepeated() {
        assertThat(SuccessCheck.failure(APPSMITH, json("{\"responseMeta\":{\"status\":200,\"success\":false,"
                + "\"error\":{\"code\":\"AE-GIT-4032\",\"message\":\"token ghp_secret expired\"}}}")))
                .contains("/responseMeta/success is false, not true");
        assertThat(SuccessCheck.failure(APPSMITH, json("{\"responseMeta\":{\"success\":\"ghp_secret\"}}")))
                .contains("/responseMeta/success is another string, not true");
        assertThat(SuccessCheck.failure(APPSMITH, json("{\"responseMeta\":{}}")))
                .contains("/responseMeta/success is missing from its answer, expected true");
        assertThat(SuccessCheck.failure(APPSMITH, json("<html>busy</html>")))
                .contains("its answer is not JSON, so /responseMeta/success cannot be true");
        assertThat(SuccessCheck.failure(APPSMITH, new byte[0])).isPresent();
    }

    @Test
    void aPointerThatIsNotAJsonPointerIsAConfigurationError() {
        assertThatThrownBy(() -> SuccessCheck.pointer(new SuccessCondition("responseMeta.success", BooleanNode.TRUE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON pointer");
    }
}
