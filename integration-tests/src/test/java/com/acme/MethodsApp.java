package com.acme;

/**
 * Calls the instrumented methods a known number of times and prints everything it gets back, so a run
 * with the agent can be compared line by line with a run without it.
 *
 * <p>With {@code --sync=N} the spans are: N x (Repo.sync -> Repo.push), one failing Repo.push, one
 * Job.run -> {2 x (Job.step -> Repo.sync -> Repo.push), Job.checksum}, and one Job.label.
 * {@code --exit=C} ends the process with exit code C.
 */
public final class MethodsApp {
    public static void main(String[] args) {
        int syncCalls = AppArgs.intArg(args, "sync", 3);
        int exitCode = AppArgs.intArg(args, "exit", 0);

        Repo repo = new Repo("origin");
        for (int i = 0; i < syncCalls; i++) {
            System.out.println("sync(" + i + ") = " + repo.sync(i));
        }
        System.out.println("status = " + repo.status());
        try {
            String result = repo.push("rejected-branch");
            System.out.println("push unexpectedly returned " + result);
        } catch (IllegalStateException e) {
            System.out.println("push failed: " + e.getClass().getName() + ": " + e.getMessage());
            System.out.println("same exception instance: " + (e == repo.lastFailure()));
            StackTraceElement top = e.getStackTrace()[0];
            System.out.println("thrown at: " + top.getClassName() + "." + top.getMethodName());
            System.out.println("suppressed: " + e.getSuppressed().length + ", cause: " + e.getCause());
        }
        Job job = new Job(repo);
        System.out.println("job.run(2) = " + job.run(2));
        System.out.println("label = " + Job.label("nightly"));
        System.out.println("status = " + repo.status());
        System.out.flush();
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
