package io.trunkline.deploy.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Confines {@code file:} references to one directory: the path is resolved to the real file (symbolic links
 * and {@code ..} followed) and must then lie inside the real directory, so that a configuration cannot name
 * the service's own files, {@code /etc/shadow} or a link pointing out. Failure reasons name the reference,
 * never a file's content.
 */
public final class SecretFiles {

    private final Path directory;
    private final String setting;

    /** @param directory the only directory referenced files may be in ({@code trunkline.verify.secrets-dir}) */
    public SecretFiles(String directory) {
        this(directory, "trunkline.verify.secrets-dir");
    }

    /**
     * @param directory the only directory referenced files may be in, relative to the working directory unless absolute
     * @param setting   the setting that names it, for failure reasons
     */
    public SecretFiles(String directory, String setting) {
        this.directory = Path.of(directory).toAbsolutePath().normalize();
        this.setting = setting;
    }

    /**
     * The file a {@code file:/path} reference names, once it is known to lie inside the directory.
     *
     * @throws DeploymentFailedException when the reference is not {@code file:} with an absolute path, the file
     *                                   does not exist, or it lies outside the directory
     */
    public Path resolve(String reference) {
        if (reference == null || !reference.startsWith("file:")) {
            throw new DeploymentFailedException("not a file: reference");
        }
        String path = reference.substring("file:".length());
        if (!path.startsWith("/")) {
            throw new DeploymentFailedException(reference + " does not name a file by its absolute path");
        }
        Path real;
        Path root;
        try {
            real = Path.of(path).toRealPath();
            root = directory.toRealPath();
        } catch (IOException | RuntimeException e) {
            throw new DeploymentFailedException(reference + " cannot be read");
        }
        if (!real.startsWith(root) || real.equals(root) || !Files.isRegularFile(real)) {
            throw new DeploymentFailedException(reference + " is not a file in the secrets directory " + directory
                    + " (" + setting + ")");
        }
        return real;
    }

    /** The content of the file, surrounding whitespace trimmed. */
    public String read(String reference) {
        Path file = resolve(reference);
        try {
            String content = Files.readString(file).trim();
            if (content.isEmpty()) {
                throw new DeploymentFailedException(reference + " is empty");
            }
            return content;
        } catch (IOException e) {
            throw new DeploymentFailedException(reference + " cannot be read");
        }
    }
}
