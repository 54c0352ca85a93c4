package io.trunkline.deploy.service;

import io.trunkline.deploy.client.OidcTokens;
import io.trunkline.deploy.client.TargetCredential;
import io.trunkline.deploy.config.CredentialsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Turns a credential reference into the secret it names, at the moment of the call:
 * <ul>
 *   <li>{@code env:NAME}: the MicroProfile Config value {@code NAME}, that is the environment
 *       variable (or a system property, or a test's configuration), only with the prefix
 *       {@code trunkline.credentials.env-prefix} ({@code TRUNKLINE_TARGET_});</li>
 *   <li>{@code file:/path}: the file's content, surrounding whitespace trimmed, only for a file in
 *       {@code trunkline.credentials.file-dir}, symbolic links resolved ({@link SecretFiles});</li>
 *   <li>{@code oidc:NAME}: an access token of the OAuth2 client-credentials client {@code NAME}
 *       configured with quarkus-oidc-client ({@code quarkus.oidc-client.NAME.*}), taken at each call
 *       ({@link OidcTokens}).</li>
 * </ul>
 * promotion-service refuses other references at configuration time; this is the second check, for requests
 * from elsewhere or a configuration stored before it. Failure reasons name the reference, never a value; a
 * reference of no known kind is not repeated at all, since it may be a secret pasted where its reference belongs.
 */
@ApplicationScoped
public class CredentialResolver {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Files deploy-service's own settings name: anywhere it may read. */
    private static final SecretFiles ANY_FILE = new SecretFiles("/", "any directory");

    private final Config config;
    private final OidcTokens oidc;
    private final String envPrefix;
    private final SecretFiles files;

    @Inject
    public CredentialResolver(Config config, OidcTokens oidc, CredentialsConfig credentials) {
        this(config, oidc, credentials.envPrefix(), credentials.fileDir());
    }

    /**
     * @param envPrefix the prefix {@code env:} references must have
     * @param fileDir   the directory {@code file:} references must name a file in
     */
    public CredentialResolver(Config config, OidcTokens oidc, String envPrefix, String fileDir) {
        this.config = config;
        this.oidc = oidc;
        this.envPrefix = envPrefix;
        this.files = new SecretFiles(fileDir, "trunkline.credentials.file-dir");
    }

    /**
     * A reference of a request (a configuration's): confined to the prefix and the directory.
     *
     * @throws DeploymentFailedException when the reference cannot be resolved: outside its confines, an unset
     *                                   variable, an unreadable or empty file, an OIDC client that is not configured
     */
    public TargetCredential resolve(String reference) {
        return resolve(reference, true);
    }

    /**
     * A reference deploy-service's own settings name ({@code trunkline.deploy.bitbucket.credential}, ...): the
     * operator's, so not confined ({@code env:TRUNKLINE_BITBUCKET_TOKEN} is its default).
     */
    public TargetCredential resolveConfigured(String reference) {
        return resolve(reference, false);
    }

    private TargetCredential resolve(String reference, boolean confined) {
        if (reference == null || reference.isBlank()) {
            throw new DeploymentFailedException("the target's credential reference is missing");
        }
        if (reference.startsWith("env:")) {
            return TargetCredential.fixed(reference, fromConfig(reference, reference.substring("env:".length()),
                    confined));
        }
        if (reference.startsWith("file:")) {
            return TargetCredential.fixed(reference, fromFile(reference, confined ? files : ANY_FILE));
        }
        if (reference.startsWith("oidc:")) {
            String name = reference.substring("oidc:".length());
            if (name.isBlank() || oidc == null || !oidc.configured(name)) {
                throw new DeploymentFailedException("credential " + reference
                        + " names no OIDC client configured on deploy-service (quarkus.oidc-client." + name + ".*)");
            }
            return oidc.credential(name);
        }
        throw new DeploymentFailedException(
                "the target's credential is not a reference: use env:NAME, file:/path or oidc:NAME");
    }

    private String fromConfig(String reference, String name, boolean confined) {
        if (!ENV_NAME.matcher(name).matches()) {
            throw new DeploymentFailedException("credential " + reference
                    + " is not a valid environment variable name");
        }
        if (confined && (!name.startsWith(envPrefix) || name.length() == envPrefix.length())) {
            throw new DeploymentFailedException("credential " + reference + " is refused: env: may only name variables"
                    + " starting with " + envPrefix + " (trunkline.credentials.env-prefix)");
        }
        Optional<String> value = config.getOptionalValue(name, String.class);
        if (value.isEmpty() || value.get().isBlank()) {
            throw new DeploymentFailedException("credential " + reference + " is not set");
        }
        return value.get().trim();
    }

    private static String fromFile(String reference, SecretFiles files) {
        try {
            return files.read(reference);
        } catch (DeploymentFailedException e) {
            throw new DeploymentFailedException("credential " + e.getMessage());
        }
    }
}
