package dev.obs.bootstrap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces credentials with {@code ****} before anything is queued: user info in URLs, values of
 * secret-looking keys ({@code password=}, {@code --token x}, {@code -Dapi.key=}), authorization headers
 * and well-known token shapes (GitHub, GitLab, AWS, Slack, JWT). Used on cold paths only (errors, command
 * lines, URLs, resource attributes).
 */
public final class SecretMasker {
    /** What every secret is replaced with. */
    public static final String MASK = "****";

    private static final String SECRET_KEY =
            "(?:[A-Za-z0-9_.\\-]*(?:pass(?:word|wd)?|pwd|secret|token|api[_.\\-]?key|access[_.\\-]?key"
                    + "|private[_.\\-]?key|credentials?|auth(?:orization)?|session[_.\\-]?id|cookie|extra[_.\\-]?header)"
                    + "[A-Za-z0-9_.\\-]*)";

    /**
     * The patterns, compiled when a text first needs one (a word check below passes): compiling them costs
     * milliseconds, which a program whose paths and messages hold no secret-looking word never pays (the first
     * slow file operation's span used to pay them on the application's thread).
     */
    private static final class Patterns {
        /** scheme://user:pass@ or scheme://token@ . */
        private static final Pattern URL_USER_INFO =
                Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://)[^/@\\s:?#]*(?::[^/@\\s]*)?@");
        /** Authorization: Bearer xxx / Basic xxx / token xxx, also inside header strings. */
        private static final Pattern AUTH_SCHEME =
                Pattern.compile("(?i)\\b(bearer|basic|token|digest)(\\s+)[A-Za-z0-9._~+/=\\-]{6,}");
        /** key=value and key: value, for secret-looking keys. */
        private static final Pattern KEY_VALUE =
                Pattern.compile("(?i)((?<![A-Za-z0-9_.\\-])" + SECRET_KEY
                        + "\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&]+)");
        /** A whole key that names a secret: compiled once (String.matches would compile it at every call). */
        private static final Pattern SECRET_KEY_WHOLE = Pattern.compile("(?i)" + SECRET_KEY);
        /** --password value / -p value style (the next argument), for secret-looking flags. */
        private static final Pattern FLAG_VALUE =
                Pattern.compile("(?i)(--?" + SECRET_KEY + "\\s+)(?!-)(\\S+)");
        private static final Pattern TOKEN_SHAPES = Pattern.compile(
                "\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\\-]{16,}"
                        + "|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[baprs]-[A-Za-z0-9\\-]{10,}"
                        + "|eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,})");
    }

    /**
     * Words without which a pattern cannot match. KEY_VALUE and FLAG_VALUE try every start position with a
     * greedy run before the key word, quadratic on a long run of name characters (a 64-digit container id took
     * 0.4 ms, a work tree path 80 µs), and even a plain case-insensitive alternation costs microseconds: a
     * pattern is run only on text that contains one of its words, found by this linear scan.
     */
    private static final String[] SECRET_WORDS = {"pass", "pwd", "secret", "token", "key", "credential", "auth",
        "session", "cookie", "header"};
    private static final String[] AUTH_WORDS = {"bearer", "basic", "token", "digest"};
    /** TOKEN_SHAPES's prefixes (lower case: containsAny ignores case, a false hit only runs the pattern). */
    private static final String[] TOKEN_WORDS = {"gh", "github_pat_", "glpat-", "akia", "asia", "xox", "eyj"};

    private SecretMasker() {
    }

    /** Returns {@code text} with every credential it recognises replaced by {@link #MASK}. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        // URL_USER_INFO scans a greedy scheme run from every position: only where a "://" makes it possible
        String s = text.indexOf("://") >= 0 ? replace(Patterns.URL_USER_INFO, text, "$1" + MASK + "@") : text;
        if (containsAny(s, AUTH_WORDS)) {
            s = replace(Patterns.AUTH_SCHEME, s, "$1$2" + MASK);
        }
        if (containsAny(s, SECRET_WORDS)) {
            s = replace(Patterns.KEY_VALUE, s, "$1" + MASK);
            s = replace(Patterns.FLAG_VALUE, s, "$1" + MASK);
        }
        return containsAny(s, TOKEN_WORDS) ? replace(Patterns.TOKEN_SHAPES, s, MASK) : s;
    }

    /**
     * Masks one element of an argument list, given the element before it: the value after a
     * secret-looking flag ({@code --password}, {@code -Dtoken}) is masked whole.
     */
    public static String maskArgument(String previous, String argument) {
        if (argument == null) {
            return null;
        }
        if (previous != null && !argument.startsWith("-") && isSecretFlag(previous)) {
            return MASK;
        }
        int eq = argument.indexOf('=');
        if (eq > 0 && isSecretKey(argument.substring(0, eq))) {
            // -Dtoken=..., http.extraHeader=Authorization: Bearer ...: the whole value, spaces included
            return argument.substring(0, eq + 1) + MASK;
        }
        return mask(argument);
    }

    /** True when {@code key} names something secret (password, token, api key, credentials...). */
    public static boolean isSecretKey(String key) {
        return key != null && Patterns.SECRET_KEY_WHOLE.matcher(key).matches();
    }

    private static boolean isSecretFlag(String arg) {
        if (!arg.startsWith("-") || arg.indexOf('=') >= 0) {
            return false;
        }
        int dashes = 0;
        while (dashes < arg.length() && arg.charAt(dashes) == '-') {
            dashes++;
        }
        return isSecretKey(arg.substring(dashes));
    }

    /** Whether {@code text} contains one of {@code words} (lower case), ignoring case. */
    static boolean containsAny(String text, String[] words) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            for (String w : words) {
                if (w.charAt(0) == c && text.regionMatches(true, i, w, 0, w.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String replace(Pattern pattern, String text, String replacement) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.replaceAll(replacement) : text;
    }
}
