package io.trunkline.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TargetSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TemplateExpanderTest {

    private static final UUID DEPLOYMENT = UUID.fromString("7d3c5d0e-9a57-4a43-8d0b-2f5a4c1e9b10");
    private static final String COMMIT = "141977fedf5cf35aa290ac87d4b5177ac4cd9de1";

    private static DeploymentRequested request(String branch, String tag, Long pr) {
        return new DeploymentRequested(UUID.randomUUID(), Instant.now(), DEPLOYMENT,
                new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "web-app"), "staging",
                DeploymentOperation.DEPLOY, COMMIT, branch, tag, pr, TargetSpec.http("POST", "https://x", null), null);
    }

    @Test
    void everyPlaceholderExpandsFromTheDeployment() {
        TemplateExpander expander = TemplateExpander.forDeployment(request("main", "v1.2", 42L));

        String expanded = expander.expandText(
                "{workspace}|{slug}|{repository}|{branch}|{tag}|{commit}|{shortCommit}|{pr}|{environment}|{deploymentId}",
                "body");

        assertThat(expanded).isEqualTo("acme|web-app|acme/web-app|main|v1.2|" + COMMIT + "|141977f|42|staging|"
                + DEPLOYMENT);
    }

    @Test
    void valuesInUrlsArePercentEncodedAsASegmentOrQueryValue() {
        TemplateExpander expander = TemplateExpander.forDeployment(request("feature/new login&more=1", null, null));

        String url = expander.expandUrl("https://deploy.example.com/{repository}/{environment}?branch={branch}", "url");

        assertThat(url).isEqualTo(
                "https://deploy.example.com/acme%2Fweb-app/staging?branch=feature%2Fnew%20login%26more%3D1");
    }

    @Test
    void nonAsciiValuesAreEncodedAsUtf8() {
        TemplateExpander expander = new TemplateExpander(Map.of("branch", "café ü"));

        assertThat(expander.expandUrl("/b/{branch}", "url")).isEqualTo("/b/caf%C3%A9%20%C3%BC");
        assertThat(expander.expandUrl("/b/{branch}", "url")).doesNotContain("+");
    }

    @Test
    void valuesInHeadersAndBodiesAreInsertedAsTheyAre() {
        TemplateExpander expander = TemplateExpander.forDeployment(request("feature/new login", null, null));

        assertThat(expander.expandText("{\"ref\":\"{branch}\",\"repo\":\"{repository}\"}", "body"))
                .isEqualTo("{\"ref\":\"feature/new login\",\"repo\":\"acme/web-app\"}");
        assertThat(expander.expandText("deploy {branch}", "header X-Ref")).isEqualTo("deploy feature/new login");
    }

    @Test
    void missingValuesExpandToNothing() {
        TemplateExpander expander = TemplateExpander.forDeployment(request("main", null, null));

        assertThat(expander.expandUrl("https://x/{tag}/pr-{pr}?t={tag}", "url")).isEqualTo("https://x//pr-?t=");
        assertThat(new TemplateExpander(new HashMap<>()).expandText("[{commit}][{shortCommit}]", "body"))
                .isEqualTo("[][]");
    }

    @Test
    void unknownPlaceholderFailsWithItsNameAndWhereItIs() {
        TemplateExpander expander = TemplateExpander.forDeployment(request("main", null, null));

        assertThatThrownBy(() -> expander.expandUrl("https://x/{project}/{branch}", "target url"))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessageContaining("{project}")
                .hasMessageContaining("target url");
    }

    @Test
    void jsonBracesThatAreNotPlaceholdersStayAsTheyAre() {
        TemplateExpander expander = TemplateExpander.forDeployment(request("main", null, null));

        assertThat(expander.expandText("{\"a\": {}, \"b\": [{ \"c\": 1 }]}", "body"))
                .isEqualTo("{\"a\": {}, \"b\": [{ \"c\": 1 }]}");
    }

    @Test
    void replacementCharactersInValuesAreNotInterpreted() {
        TemplateExpander expander = new TemplateExpander(Map.of("branch", "a$1\\b"));

        assertThat(expander.expandText("{branch}", "body")).isEqualTo("a$1\\b");
    }

    @Test
    void jsonBodiesEscapeValuesInsideStringsAndQuoteValuesStandingAlone() {
        TemplateExpander expander = new TemplateExpander(Map.of("tag", "v1 \"quoted\" \\ done\n", "pr", "42",
                "branch", "main"));

        assertThat(expander.expandBody("{\"t\":\"tag {tag}!\",\"pr\":{pr},\"b\":{branch},\"c\":{commit},"
                + "\"k\":\"\\\"{branch}\\\"\"}", null, "body"))
                .isEqualTo("{\"t\":\"tag v1 \\\"quoted\\\" \\\\ done\\n!\",\"pr\":42,\"b\":\"main\",\"c\":null,"
                        + "\"k\":\"\\\"main\\\"\"}");
    }

    @Test
    void jsonBodiesAreCheckedOnceExpandedAndJsonContentTypesNamedAnyWay() {
        TemplateExpander expander = new TemplateExpander(Map.of("branch", "main"));

        assertThatThrownBy(() -> expander.expandBody("{\"b\": \"{branch}\"", "application/json", "target body"))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessage("target body is not valid JSON once its placeholders are filled in");
        assertThat(expander.expandBody("{\"b\":\"{branch}\"}", "application/vnd.api+json; charset=utf-8", "body"))
                .isEqualTo("{\"b\":\"main\"}");
        assertThat(expander.expandBody("b={branch}&x=a b", "text/plain", "body")).isEqualTo("b=main&x=a b");
    }

    @Test
    void nullTemplateStaysNull() {
        assertThat(new TemplateExpander(Map.of()).expandText(null, "body")).isNull();
    }
}
