package io.trunkline.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialResolverTest {

    private static final String SECRET = "s3cr3t-token-value";

    @TempDir
    Path dir;

    private CredentialResolver resolver;

    @BeforeEach
    void resolver() {
        resolver = new CredentialResolver(new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "TRUNKLINE_TARGET_APPSMITH_TOKEN", SECRET, "TRUNKLINE_TARGET_BLANK_TOKEN", "  ", "TRUNKLINE_DB_PASSWORD",
                SECRET, "PATH", "/usr/bin"), "test", 500)).build(), null, "TRUNKLINE_TARGET_", dir.toString());
    }

    @Test
    void envReferenceReadsTheConfiguredValue() {
        assertThat(resolver.resolve("env:TRUNKLINE_TARGET_APPSMITH_TOKEN").secret()).isEqualTo(SECRET);
        assertThat(resolver.resolve("env:TRUNKLINE_TARGET_APPSMITH_TOKEN").toString()).isEqualTo("credential env:TRUNKLINE_TARGET_APPSMITH_TOKEN");
    }

    @Test
    void missingOrBlankEnvReferenceFailsNamingTheReference() {
        assertThatThrownBy(() -> resolver.resolve("env:TRUNKLINE_TARGET_NOT_SET_ANYWHERE"))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessage("credential env:TRUNKLINE_TARGET_NOT_SET_ANYWHERE is not set");
        assertThatThrownBy(() -> resolver.resolve("env:TRUNKLINE_TARGET_BLANK_TOKEN"))
                .hasMessage("credential env:TRUNKLINE_TARGET_BLANK_TOKEN is not set");
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
    void referencesOutsideTheirConfinesAreRefusedAtDeployTimeNamingTheReferenceNeverTheValue(@TempDir Path elsewhere)
            throws IOException {
        Path outside = Files.writeString(elsewhere.resolve("outside"), SECRET);
        Files.createSymbolicLink(dir.resolve("link-out"), outside);
        for (String refused : new String[] {"env:TRUNKLINE_DB_PASSWORD", "env:PATH", "env:TRUNKLINE_TARGET_",
                "file:/etc/passwd", "file:../../x", "file:" + outside, "file:" + dir + "/../" + elsewhere.getFileName()
                + "/outside", "file:" + dir.resolve("link-out"), "file:" + dir}) {
            assertThatThrownBy(() -> resolver.resolve(refused)).as(refused)
                    .isInstanceOf(DeploymentFailedException.class)
                    .hasMessageStartingWith("credential " + refused + " ")
                    .message().doesNotContain(SECRET).doesNotContain("root:");
        }
        assertThatThrownBy(() -> resolver.resolve("env:PATH")).hasMessageContaining("TRUNKLINE_TARGET_");
        assertThatThrownBy(() -> resolver.resolve("file:" + dir.resolve("link-out")))
                .hasMessageContaining("trunkline.credentials.file-dir");
    }

    @Test
    void theServicesOwnSettingsAreNotConfined() throws IOException {
        // trunkline.deploy.bitbucket.credential defaults to env:TRUNKLINE_BITBUCKET_TOKEN: the operator's, not a request's
        assertThat(resolver.resolveConfigured("env:PATH").secret()).isEqualTo("/usr/bin");
        Path elsewhere = Files.writeString(Files.createTempFile("trunkline-configured-", ".token"), SECRET);
        try {
            assertThat(resolver.resolveConfigured("file:" + elsewhere).secret()).isEqualTo(SECRET);
        } finally {
            Files.delete(elsewhere);
        }
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
