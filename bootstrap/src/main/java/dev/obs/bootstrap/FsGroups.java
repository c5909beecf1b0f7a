package dev.obs.bootstrap;

/**
 * Classifies a file path into a group index ({@code file.group}): the built-in groups first ({@code obs}
 * for obs's own jar, never counted; {@code jvm} for the JDK's files and every {@code .jar}/{@code .jmod},
 * i.e. class loading), then the user's {@code obs.fs.groups} globs in order, else {@code other}; a stream
 * without a path on descriptors 0–2 is {@code stdio}. Allocation-free for absolute paths: relative paths
 * are matched as if prefixed with the working directory, without building that string.
 *
 * <p>Globs: {@code **} matches anything, {@code *} anything but {@code /}, {@code ?} one character but
 * {@code /}; everything else is literal. Immutable once built; shared by all threads.
 */
public final class FsGroups {
    /** Fixed indices. */
    public static final int OTHER = 0;
    public static final int JVM = 1;
    public static final int STDIO = 2;
    public static final int OBS = 3;
    /** First index of a user group. */
    public static final int FIRST_USER = 4;
    /** At most this many user groups (the rest of the list is ignored, with a warning by the agent). */
    public static final int MAX_USER = 28;

    private final String[] names;
    private final String[] globs;
    private final String javaHome;
    private final String obsJar;
    private final String cwdPrefix;

    /**
     * @param userNames  group names, in match order
     * @param userGlobs  one glob per name
     * @param javaHome   the JDK's directory ({@code java.home}), or null
     * @param obsJar     the agent jar's absolute path, or null
     * @param workingDir the working directory ({@code user.dir}) relative paths are resolved against
     */
    public FsGroups(String[] userNames, String[] userGlobs, String javaHome, String obsJar, String workingDir) {
        int n = Math.min(MAX_USER, userNames.length);
        names = new String[FIRST_USER + n];
        names[OTHER] = "other";
        names[JVM] = "jvm";
        names[STDIO] = "stdio";
        names[OBS] = "obs";
        globs = new String[n];
        for (int i = 0; i < n; i++) {
            names[FIRST_USER + i] = userNames[i];
            globs[i] = userGlobs[i];
        }
        this.javaHome = javaHome == null || javaHome.isEmpty() ? null
                : javaHome.endsWith("/") ? javaHome : javaHome + "/";
        this.obsJar = obsJar;
        this.cwdPrefix = workingDir == null ? "/" : workingDir.endsWith("/") ? workingDir : workingDir + "/";
    }

    /** Number of groups, built-in ones included. */
    public int size() {
        return names.length;
    }

    /** The {@code file.group} value of a group index. */
    public String name(int group) {
        return names[group];
    }

    /** The group of a file: {@code path} may be null (a stream opened on a descriptor). */
    public int classify(String path, int fd) {
        if (path == null || path.isEmpty()) {
            return fd >= 0 && fd <= 2 ? STDIO : OTHER;
        }
        String prefix = path.charAt(0) == '/' ? "" : cwdPrefix;
        if (obsJar != null && prefix.isEmpty() && path.equals(obsJar)) {
            return OBS;
        }
        if (path.endsWith(".jar") || path.endsWith(".jmod")
                || javaHome != null && prefix.isEmpty() && path.startsWith(javaHome)) {
            return JVM;
        }
        for (int i = 0; i < globs.length; i++) {
            if (matches(globs[i], 0, prefix, path, 0)) {
                return FIRST_USER + i;
            }
        }
        return OTHER;
    }

    /** Glob match of {@code glob[g..]} against the virtual string {@code prefix + path} from {@code s}. */
    static boolean matches(String glob, int g, String prefix, String path, int s) {
        int length = prefix.length() + path.length();
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                boolean any = g + 1 < glob.length() && glob.charAt(g + 1) == '*';
                int next = any ? g + 2 : g + 1;
                if (next == glob.length()) {
                    return any || indexOfSlash(prefix, path, s) < 0;
                }
                for (int i = s; i <= length; i++) {
                    if (matches(glob, next, prefix, path, i)) {
                        return true;
                    }
                    if (i < length && !any && at(prefix, path, i) == '/') {
                        return false;
                    }
                }
                return false;
            }
            if (s >= length) {
                return false;
            }
            char p = at(prefix, path, s);
            if (c == '?' ? p == '/' : c != p) {
                return false;
            }
            g++;
            s++;
        }
        return s == length;
    }

    private static char at(String prefix, String path, int i) {
        return i < prefix.length() ? prefix.charAt(i) : path.charAt(i - prefix.length());
    }

    private static int indexOfSlash(String prefix, String path, int from) {
        int length = prefix.length() + path.length();
        for (int i = from; i < length; i++) {
            if (at(prefix, path, i) == '/') {
                return i;
            }
        }
        return -1;
    }
}
