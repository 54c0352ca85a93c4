package io.trunkline.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.trunkline.deploy.client.VerifyHttpClient.Fetched;
import io.trunkline.events.VerifyCheck;
import io.trunkline.events.VerifyCheck.Expect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an {@code http} check's answer must be, check names, and the confinement of {@code file:} references. */
class VerifierTest {

    private static Fetched answer(int status, String body) {
        return new Fetched(status, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAnswerMeetsTheExpectationOrSaysWhyNot() {
        assertThat(Verifier.judge(null, answer(204, ""))).isNull();
        assertThat(Verifier.judge(null, answer(503, ""))).isEqualTo("answered 503, expected 2xx");
        assertThat(Verifier.judge(new Expect(200, null, null, null), answer(201, ""))).isEqualTo("answered 201, expected 200");
        Expect up = new Expect(200, "UP", "/status", TextNode.valueOf("UP"));
        assertThat(Verifier.judge(up, answer(200, "{\"status\":\"UP\"}"))).isNull();
        assertThat(Verifier.judge(up, answer(200, "{\"status\":\"DOWN\",\"note\":\"UP soon\"}")))
                .isEqualTo("/status is \"DOWN\", expected \"UP\"");
        assertThat(Verifier.judge(up, answer(200, "{\"state\":\"DOWN\"}")))
                .isEqualTo("answered 200 without the expected text in its body");
        assertThat(Verifier.judge(new Expect(null, null, "/checks/0/ok", null), answer(200, "{\"checks\":[{\"ok\":1}]}")))
                .isNull();
        assertThat(Verifier.judge(new Expect(null, null, "/version", IntNode.valueOf(3)), answer(200, "{\"version\":\"3\"}")))
                .isNull(); // a number in text is the number
        assertThat(Verifier.judge(new Expect(null, null, "/missing", null), answer(200, "{}")))
                .isEqualTo("answered 200 without /missing");
        assertThat(Verifier.judge(new Expect(null, null, "/status", null), answer(200, "<html>")))
                .isEqualTo("answered 200 with a body that is not JSON");
        assertThat(Verifier.judge(new Expect(null, "x", null, null), answer(200, null)))
                .isEqualTo("its answer is longer than 1024 KiB");
    }

    @Test
    void checksAreNamedByTheirNameOrTypeAndPosition() {
        assertThat(VerifyCheck.http("https://x.example.com", null, null, null, null).displayName(0)).isEqualTo("http check 1");
        assertThat(VerifyCheck.postman("file:/c.json", null, null).displayName(2)).isEqualTo("postman check 3");
        assertThat(new VerifyCheck("smoke", "postman", null, null, null, null, null, "file:/c.json", null).displayName(0))
                .isEqualTo("smoke");
    }

    @Test
    void fileReferencesAreConfinedToTheSecretsDirectory(@TempDir Path temp) throws IOException {
        Path secrets = Files.createDirectories(temp.resolve("secrets"));
        Path inside = Files.writeString(secrets.resolve("collection.json"), "{}");
        Path outside = Files.writeString(temp.resolve("outside.json"), "{}");
        Files.createSymbolicLink(secrets.resolve("link.json"), outside);
        SecretFiles files = new SecretFiles(secrets.toString());

        assertThat(files.resolve("file:" + inside)).isEqualTo(inside.toRealPath());
        assertThat(files.read("file:" + inside)).isEqualTo("{}");
        for (String refused : new String[] {"file:" + outside, "file:" + secrets + "/../outside.json",
                "file:" + secrets.resolve("link.json"), "file:" + secrets, "file:relative.json",
                "file:" + secrets.resolve("missing.json"), "env:X"}) {
            assertThatThrownBy(() -> files.resolve(refused)).as(refused).isInstanceOf(DeploymentFailedException.class)
                    .hasMessageNotContaining("{}");
        }
    }
}
