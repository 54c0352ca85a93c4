package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.CredentialRef;
import io.trunkline.events.TargetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFilesTest {

    @TempDir
    Path tmp;

    @Test
    void onlyFilesInsideTheDirectorySymbolicLinksResolved() throws IOException {
        Path secrets = Files.createDirectory(tmp.resolve("secrets"));
        Path outside = Files.writeString(tmp.resolve("outside"), "x");
        Files.writeString(secrets.resolve("token"), "t");
        Files.createSymbolicLink(secrets.resolve("link-out"), outside);
        Files.createSymbolicLink(secrets.resolve("link-in"), secrets.resolve("token"));
        Files.createSymbolicLink(secrets.resolve("dir-out"), tmp);
        Files.createSymbolicLink(secrets.resolve("dangling"), tmp.resolve("nowhere"));
        CredentialFiles files = new CredentialFiles(secrets.toString());

        assertThat(files.confines(secrets.resolve("token").toString())).isTrue();
        assertThat(files.confines(secrets.resolve("link-in").toString())).isTrue();
        assertThat(files.confines(secrets.resolve("not-there-yet").toString())).isTrue(); // deploy-service checks again
        assertThat(files.confines(secrets.resolve("sub/not-there-yet").toString())).isTrue();
        for (String refused : new String[] {outside.toString(), secrets + "/../outside", secrets.toString(),
                secrets.resolve("link-out").toString(), secrets.resolve("dir-out/outside").toString(),
                secrets.resolve("dir-out/secrets/../outside").toString(), secrets.resolve("dangling").toString(),
                "/etc/passwd", "relative/token", secrets + "-other/token"}) {
            assertThat(files.confines(refused)).as(refused).isFalse();
        }
    }

    @Test
    void aRelativeDirectoryIsTheWorkingDirectorysOne() {
        CredentialFiles files = new CredentialFiles(".trunkline/secrets");
        assertThat(files.directory()).isEqualTo(Path.of("").toAbsolutePath().resolve(".trunkline/secrets"));
        assertThat(files.confines(files.directory().resolve("token").toString())).isTrue();
    }

    @Test
    void aSymbolicLinkOutOfTheDirectoryIsRefusedNamingTheField() throws IOException {
        Path secrets = Files.createDirectory(tmp.resolve("secrets"));
        Files.createSymbolicLink(secrets.resolve("passwd"), Path.of("/etc/passwd"));
        ConfigurationValidator validator = new ConfigurationValidator("TRUNKLINE_TARGET_",
                new CredentialFiles(secrets.toString()));

        List<ConfigurationError> errors = validator.validate(new RepositoryConfiguration(null, null, null, null,
                List.of(new EnvironmentConfiguration("staging", "trunk", TargetSpec.http("POST",
                        "https://deploy.example.com/{commit}", new CredentialRef("bearer", "file:" + secrets.resolve("passwd"))),
                        null, null, null, null, null, null, null, null))));

        assertThat(errors).extracting(ConfigurationError::field).containsExactly("environments[0].target.auth.token");
        assertThat(errors.get(0).message()).contains("trunkline.credentials.file-dir");
    }
}
