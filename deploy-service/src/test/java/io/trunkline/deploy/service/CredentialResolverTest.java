package io.trunkline.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialResolverTest {

    private static final String SECRET = "s3cr3t-token-value";

    private final CredentialResolver resolver = new CredentialResolver(new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(Map.of("APPSMITH_TOKEN", SECRET, "BLANK_TOKEN", "  "), "test", 500))
            .build(), null);

    @TempDir
    Path dir;

    @Test
    void envReferenceReadsTheConfiguredValue() {
        assertThat(resolver.resolve("env:APPSMITH_TOKEN").secret()).isEqualTo(SECRET);
        assertThat(resolver.resolve("env:APPSMITH_TOKEN").toString()).isEqualTo("credential env:APPSMITH_TOKEN");
    }

    @Test
    void missingOrBlankEnvReferenceFailsNamingTheReference() {
        assertThatThrownBy(() -> resolver.resolve("env:NOT_SET_ANYWHERE"))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessage("credential env:NOT_SET_ANYWHERE is not set");
        assertThatThrownBy(() -> resolver.resolve("env:BLANK_TOKEN"))
                .hasMessage("credential env:BLANK_TOKEN is not set");
    }

    @Test
    void envReferenceMustBeAVariableName() {
        assertThatThrownBy(() -> resolver.resolve("env:quarkus.datasource.password"))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessageContaining("not a valid environment variable name");
    }

    @Test
    void fileReferenceReadsTheTrimmedContent() throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, "  " + SECRET + "\n");

        assertThat(resolver.resolve("file:" + file).secret()).isEqualTo(SECRET);
    }

    @Test
    void missingOrEmptyFileFailsNamingTheReference() throws IOException {
        Path missing = dir.resolve("absent");
        assertThatThrownBy(() -> resolver.resolve("file:" + missing))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessage("credential file:" + missing + " cannot be read");

        Path empty = Files.writeString(dir.resolve("empty"), "\n \n");
        assertThatThrownBy(() -> resolver.resolve("file:" + empty))
                .hasMessage("credential file:" + empty + " is empty");
    }

    @Test
    void oidcReferenceToAClientThatIsNotConfiguredFailsNamingIt() {
        assertThatThrownBy(() -> resolver.resolve("oidc:appsmith"))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessage("credential oidc:appsmith names no OIDC client configured on deploy-service"
                        + " (quarkus.oidc-client.appsmith.*)");
    }

    @Test
    void somethingThatIsNotAReferenceIsNeverRepeated() {
        assertThatThrownBy(() -> resolver.resolve(SECRET))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessageContaining("not a reference")
                .message().doesNotContain(SECRET);
        assertThatThrownBy(() -> resolver.resolve(null))
                .hasMessageContaining("missing");
    }
}
