package io.trunkline.infra.local;

import io.trunkline.infra.auth.Jwts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;

/**
 * Local mode's identity provider, for {@code bin/trunkline up}: an RSA key pair generated under
 * {@code <home>/auth/} at the first start and kept, and an admin token signed with it at every start
 * (issuer {@value Jwts#LOCAL_ISSUER}, role {@code admin}, finite expiry) written to
 * {@code <home>/admin.token}. Key and token files are readable by their owner only. The services
 * check tokens with the public key ({@code quarkus.oidc.public-key}); no provider runs.
 *
 * <p>Arguments: home directory, audience, role claim path, token lifetime (ISO-8601 or days, e.g. {@code 30}).
 */
public final class LocalAuth {

    static final String PRIVATE_KEY_FILE = "auth/local-signing-key.pem";
    static final String PUBLIC_KEY_FILE = "auth/local-public-key.pem";
    static final String TOKEN_FILE = "admin.token";
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);

    /** The public key services verify with (PEM), and the admin token just signed. */
    public record Prepared(String publicKeyPem, String adminToken, Path tokenFile) {

        /** The base64 body of the public key, as {@code QUARKUS_OIDC_PUBLIC_KEY} takes it. */
        public String publicKey() {
            return Jwts.pemBody(publicKeyPem);
        }
    }

    private LocalAuth() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: LocalAuth <home-dir> [audience] [role-claim-path] [token-lifetime-days]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String audience = args.length > 1 && !args[1].isBlank() ? args[1] : Jwts.DEFAULT_AUDIENCE;
        String roleClaim = args.length > 2 && !args[2].isBlank() ? args[2] : Jwts.DEFAULT_ROLE_CLAIM;
        Duration ttl = args.length > 3 && !args[3].isBlank() ? lifetime(args[3]) : DEFAULT_TTL;
        prepare(home, audience, roleClaim, ttl);
    }

    /** Creates the key pair if missing, signs a new admin token and writes it; the token file is mode 600. */
    public static Prepared prepare(Path home, String audience, String roleClaimPath, Duration ttl) throws IOException {
        Path privateKeyFile = home.resolve(PRIVATE_KEY_FILE);
        Path publicKeyFile = home.resolve(PUBLIC_KEY_FILE);
        Files.createDirectories(privateKeyFile.getParent());
        restrict(privateKeyFile.getParent(), "rwx------");
        if (!Files.isRegularFile(privateKeyFile) || !Files.isRegularFile(publicKeyFile)) {
            KeyPair pair = Jwts.newKeyPair();
            writePrivately(privateKeyFile, Jwts.privateKeyPem(pair.getPrivate()));
            writePrivately(publicKeyFile, Jwts.publicKeyPem(pair.getPublic()));
        }
        PrivateKey signingKey = Jwts.privateKey(Files.readString(privateKeyFile));
        String publicKey = Files.readString(publicKeyFile);
        String token = Jwts.sign(Jwts.Claims.of(Jwts.LOCAL_ISSUER, audience, "local-admin", List.of("admin"), ttl)
                .withRoleClaimPath(roleClaimPath), signingKey, "trunkline-local");
        Path tokenFile = home.resolve(TOKEN_FILE);
        writePrivately(tokenFile, token + "\n");
        return new Prepared(publicKey, token, tokenFile);
    }

    private static Duration lifetime(String text) {
        return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text) : Duration.ofDays(Long.parseLong(text));
    }

    /** Writes through a temporary file created with owner-only permissions, then moves it in place. */
    private static void writePrivately(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary);
        restrict(temporary, "rw-------");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        restrict(file, "rw-------");
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing finer to set
        }
    }
}
