package io.trunkline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatePlaceholdersTest {

    private static final RepositoryRef REPO = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "shop");
    private static final Map<String, String> VALUES = TemplatePlaceholders.values(REPO, "preview/pr-7",
            "0123456789abcdef0123456789abcdef01234567", "feature/x y", null, 7L, "d-1");

    @Test
    void urlValuesArePercentEncodedAndMissingOnesEmpty() {
        assertThat(TemplatePlaceholders.expandUrl("https://d.example.com/{environment}/{branch}?c={shortCommit}&t={tag}"
                + "&r={repository}&pr={pr}&id={deploymentId}", VALUES))
                .isEqualTo("https://d.example.com/preview%2Fpr-7/feature%2Fx%20y?c=0123456&t=&r=acme%2Fshop&pr=7&id=d-1");
    }

    @Test
    void textValuesAreInsertedAsTheyAreAndOtherBracesAreLiteral() {
        assertThat(TemplatePlaceholders.expandText("{\"ref\": \"{branch}\", \"x\": { commit }}", VALUES))
                .isEqualTo("{\"ref\": \"feature/x y\", \"x\": { commit }}");
    }

    @Test
    void unknownNamesAreReportedAndRefused() {
        assertThat(TemplatePlaceholders.unknownNames("{sha}/{commit}/{sha}/{ref2}/{ not one }/{\"a\": 1}"))
                .containsExactly("sha", "ref2");
        assertThatThrownBy(() -> TemplatePlaceholders.expandUrl("https://x/{sha}", VALUES))
                .hasMessageStartingWith("unknown placeholder {sha}");
    }

    @Test
    void verifyChecksMayUseTheEnvironmentsUrlBesides() {
        assertThat(TemplatePlaceholders.VERIFY_NAMES).containsAll(TemplatePlaceholders.NAMES).endsWith("url");
        assertThat(TemplatePlaceholders.unknownNames("{url}/health?c={commit}")).containsExactly("url");
        assertThat(TemplatePlaceholders.unknownNames("{url}/health?c={commit}&{sha}", TemplatePlaceholders.VERIFY_NAMES))
                .containsExactly("sha");
    }
}
