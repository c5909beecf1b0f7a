package dev.obs.bootstrap.fs;

/**
 * Classifies a file path into a group index ({@code file.group}): the built-in groups first ({@code obs}
 * for obs's own jar, never counted; {@code jvm} for the JDK's files and every {@code .jar}/{@code .jmod}/
 * {@code .class} file, i.e. class loading, from jars or class directories), then the user's {@code obs.fs.groups} globs in order, else {@code other}; a stream
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
    private final Glob[] globs;
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
        this.javaHome = javaHome == null || javaHome.isEmpty() ? null
                : javaHome.endsWith("/") ? javaHome : javaHome + "/";
        this.obsJar = obsJar;
        this.cwdPrefix = workingDir == null ? "/" : workingDir.endsWith("/") ? workingDir : workingDir + "/";
        globs = new Glob[n];
        for (int i = 0; i < n; i++) {
            names[FIRST_USER + i] = userNames[i];
            globs[i] = new Glob(userGlobs[i]);
        }
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
        char last = path.charAt(path.length() - 1); // most paths end in none of the three: no endsWith at all
        if (last == 'r' && path.endsWith(".jar") || last == 'd' && path.endsWith(".jmod")
                || last == 's' && path.endsWith(".class") || javaHome != null && prefix.isEmpty()
                && path.startsWith(javaHome)) {
            return JVM;
        }
        for (int i = 0; i < globs.length; i++) {
            Glob glob = globs[i];
            // a relative glob: a relative path as it is, an absolute one below the working directory
            boolean hit = !glob.relative ? glob.matches(prefix, path, 0)
                    : !prefix.isEmpty() ? glob.matches("", path, 0)
                    : path.startsWith(cwdPrefix) && glob.matches("", path, cwdPrefix.length());
            if (hit) {
                return FIRST_USER + i;
            }
        }
        return OTHER;
    }

    /** Whether {@code glob} matches the virtual string {@code prefix + path}. */
    static boolean matches(String glob, String prefix, String path) {
        return new Glob(glob).matches(prefix, path, 0);
    }

    /** Elements a glob compiles to ({@code **} is one); at most {@link Glob#MAX_ELEMENTS}. */
    public static int elements(String glob) {
        return Glob.compile(glob, null, null);
    }

    /**
     * A glob run as a nondeterministic automaton over a bit set of positions (state i: the first i elements
     * matched), one step per character: time linear in the path times the glob, whatever the pattern
     * ({@code /*a*a*a*b} backtracks exponentially in a recursive matcher), and no allocation.
     */
    static final class Glob {
        /** A {@code long} holds the states: elements plus the final state. */
        static final int MAX_ELEMENTS = 63;
        private static final byte LITERAL = 0;
        private static final byte ONE = 1;
        private static final byte STAR = 2;
        private static final byte ANY = 3;

        /** A glob not starting with {@code /} or {@code *} ({@code data/**}): relative to the working directory. */
        final boolean relative;
        private final byte[] types;
        private final char[] chars;
        /** States whose element is {@code *} or {@code **}: they also stand for the next state (empty match). */
        private final long starStates;
        /** Leading literal elements ({@code /srv/git/} of {@code /srv/git/**}): compared directly. */
        private final int literalPrefix;
        /** Those elements' characters. */
        private final String literal;
        /** The glob is its literal prefix and then {@code **}: any path with the prefix matches. */
        private final boolean prefixThenAnything;

        Glob(String glob) {
            relative = !glob.startsWith("/") && !glob.startsWith("*");
            int m = compile(glob, null, null);
            if (m > MAX_ELEMENTS) {
                throw new IllegalArgumentException("glob '" + glob + "' has more than " + MAX_ELEMENTS + " elements");
            }
            types = new byte[m];
            chars = new char[m];
            compile(glob, types, chars);
            long stars = 0;
            for (int i = 0; i < m; i++) {
                if (types[i] == STAR || types[i] == ANY) {
                    stars |= 1L << i;
                }
            }
            starStates = stars;
            int k = 0;
            while (k < m && types[k] == LITERAL) {
                k++;
            }
            literalPrefix = k;
            literal = glob.substring(0, k);
            prefixThenAnything = k == m - 1 && types[k] == ANY;
        }

        /** Fills types/chars when given; returns the number of elements. */
        static int compile(String glob, byte[] types, char[] chars) {
            int m = 0;
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                byte type = LITERAL;
                if (c == '*') {
                    type = STAR;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        type = ANY;
                        i++;
                    }
                } else if (c == '?') {
                    type = ONE;
                }
                if (types != null) {
                    types[m] = type;
                    chars[m] = c;
                }
                m++;
            }
            return m;
        }

        /** Whether the glob matches the virtual string {@code prefix + path} from index {@code from} on. */
        boolean matches(String prefix, String path, int from) {
            int length = prefix.length() + path.length();
            if (length - from < literalPrefix) {
                return false;
            }
            // the literal prefix by two region compares (vectorised), not char by char: every open is classified
            int inPrefix = Math.min(Math.max(prefix.length() - from, 0), literalPrefix);
            if (inPrefix > 0 && !prefix.regionMatches(from, literal, 0, inPrefix) || !path.regionMatches(
                    Math.max(from - prefix.length(), 0), literal, inPrefix, literalPrefix - inPrefix)) {
                return false;
            }
            return prefixThenAnything || matchesAfterLiteralPrefix(prefix, path, from, length);
        }

        /**
         * The automaton over what follows the literal prefix: out of {@link #matches}, which every open runs, so
         * that a glob of the common form {@code /dir/**} compiles to the prefix compare alone (C1 and C2 compile
         * this part only when a glob needs it, and inline it where it pays).
         */
        private boolean matchesAfterLiteralPrefix(String prefix, String path, int from, int length) {
            int m = types.length;
            long states = close(1L << literalPrefix);
            for (int s = from + literalPrefix; s < length && states != 0; s++) {
                char p = at(prefix, path, s);
                long next = 0;
                for (long rest = states; rest != 0; rest &= rest - 1) {
                    int i = Long.numberOfTrailingZeros(rest);
                    if (i == m) {
                        continue; // the final state consumes nothing
                    }
                    switch (types[i]) {
                        case LITERAL -> next |= chars[i] == p ? 1L << (i + 1) : 0;
                        case ONE -> next |= p != '/' ? 1L << (i + 1) : 0;
                        case STAR -> next |= p != '/' ? 1L << i : 0;
                        default -> next |= 1L << i;
                    }
                }
                states = close(next);
            }
            return (states & (1L << m)) != 0;
        }

        /** Adds the states a star's empty match reaches. */
        private long close(long states) {
            long closed = states;
            while (true) {
                long more = closed | ((closed & starStates) << 1);
                if (more == closed) {
                    return closed;
                }
                closed = more;
            }
        }
    }

    private static char at(String prefix, String path, int i) {
        return i < prefix.length() ? prefix.charAt(i) : path.charAt(i - prefix.length());
    }
}
