package dev.obs.agent.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directory obs keeps woven classes in ({@code obs.weave.cache.dir}), for the weave cache and the
 * java.base cache alike: woven code read from it runs in the program, so it must be the running user's and
 * writable by no one else. A class of its own, small: the java.base cache checks the root in start-up's
 * critical path, before anything else of the caches is loaded. Public: the launcher's LibraryJar keeps its
 * copies of obs.jar's inner jars under the same root.
 */
public final class CacheRoot {
    private CacheRoot() {
    }

    /**
     * The root when {@code obs.weave.cache.dir} is not set: {@code $XDG_CACHE_HOME/obs} when that is absolute,
     * else {@code ~/.cache/obs}; null when neither is known.
     */
    public static Path defaultRoot(String xdgCacheHome, String userHome) {
        try {
            if (xdgCacheHome != null && xdgCacheHome.startsWith("/")) {
                return Path.of(xdgCacheHome, "obs");
            }
            if (userHome != null && !userHome.isEmpty() && !userHome.equals("?")) {
                return Path.of(userHome, ".cache", "obs");
            }
        } catch (InvalidPathException e) {
            // none
        }
        return null;
    }

    /**
     * The root a value of {@code obs.weave.cache.dir} (trimmed; null when unset) names: {@code defaultRoot} when
     * unset or empty, null for {@code off}, else the value as an absolute path.
     *
     * @throws InvalidPathException when the value is no path (the agent warns and takes the default)
     */
    public static Path configured(String value, Path defaultRoot) {
        if (value == null || value.isEmpty()) {
            return defaultRoot;
        }
        return value.equalsIgnoreCase("off") ? null : Path.of(value).toAbsolutePath();
    }

    /** The root, created private if missing; refused if another user owns it or others may write to it. */
    public static Path prepare(Path root) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            if (posix) {
                Files.createDirectories(root, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(root);
            }
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(root + " is not a directory");
        }
        if (posix) {
            String problem = posixProblem(root);
            if (problem != null) {
                throw new IOException(problem);
            }
        }
        return root;
    }

    /** Whether an existing root may be read from: a POSIX directory passing {@link #prepare}'s checks. */
    static boolean isSafe(Path root) {
        try {
            return posixProblem(root) == null;
        } catch (IOException | RuntimeException e) {
            return false; // not POSIX, or unreadable: not used
        }
    }

    /** What makes {@code root} unsafe (not a directory, another user's, writable by others), or null. */
    private static String posixProblem(Path root) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            return root + " is not a directory";
        }
        String owner = attributes.owner().getName();
        String user = System.getProperty("user.name");
        if (!owner.equals(user)) {
            return root + " belongs to " + owner + ", not " + user;
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            return root + " is writable by other users";
        }
        return null;
    }
}
