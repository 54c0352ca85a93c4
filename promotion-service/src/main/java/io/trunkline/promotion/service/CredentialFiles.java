package io.trunkline.promotion.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one directory {@code file:} credential references may name files in
 * ({@code trunkline.credentials.file-dir}). A path is confined when, normalised, it lies inside the directory
 * and, its symbolic links resolved as far as it exists on this host, it still does: {@code ..} and a link
 * pointing out are refused. deploy-service checks again when it reads the file, which may not exist yet now.
 */
public final class CredentialFiles {

    private final Path directory;

    /** @param directory the directory, absolute or relative to the working directory */
    public CredentialFiles(String directory) {
        this.directory = Path.of(directory).toAbsolutePath().normalize();
    }

    /** The directory, absolute and normalised. */
    public Path directory() {
        return directory;
    }

    /** Whether {@code path} (absolute) names a file inside the directory, symbolic links resolved. */
    public boolean confines(String path) {
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            return false;
        }
        if (!file.isAbsolute()) {
            return false;
        }
        Path normal = file.normalize();
        if (!normal.startsWith(directory) || normal.equals(directory)) {
            return false;
        }
        try {
            Path root = resolved(directory);
            Path real = resolved(normal);
            return real.startsWith(root) && !real.equals(root);
        } catch (IOException e) {
            return false; // a dangling link, or a path this host cannot look at
        }
    }

    /** The path with the symbolic links of its longest existing part resolved, the rest appended. */
    private static Path resolved(Path path) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        return existing.toRealPath().resolve(existing.relativize(path)).normalize();
    }
}
