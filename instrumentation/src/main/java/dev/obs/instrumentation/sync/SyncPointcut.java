package dev.obs.instrumentation.sync;

import java.util.List;
import java.util.function.Predicate;

/**
 * Where one sync rule weaves: a class (and its subclasses and implementations in its package or below) and
 * a method of it, every overload or one signature.
 *
 * @param className  binary name, {@code Outer$Inner} for a nested class
 * @param methodName the method's name
 * @param signature  the signature as the rule wrote it ({@code (Change,int)}), or empty for every overload;
 *                   part of the weave cache's key
 * @param parameters whether a method's parameter types (binary names, arrays as {@code int[]}) are the meant ones
 * @param usesResult whether the rule reads the method's result ({@code {{return}}}): only then does the woven
 *                   code box the result and hand it over
 */
public record SyncPointcut(String className, String methodName, String signature,
                           Predicate<List<String>> parameters, boolean usesResult) {
    /** The prefix a subclass's name is looked for under: the package of the class ({@code com.acme.sync.}). */
    String packagePrefix() {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(0, dot + 1);
    }
}
