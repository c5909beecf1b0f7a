package com.acme.demo;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A small program to watch obs at work: a "repository sync" that fetches and pushes, fails now and then,
 * a job that runs several syncs, real Git work through the git command line and JGit, and file I/O. Nothing
 * here knows about obs.
 */
public final class DemoApp {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Job job = new Job();
        int failures = 0;
        for (int i = 0; i < rounds; i++) {
            failures += job.run(i);
        }
        System.out.println("demo: " + rounds + " jobs, " + failures + " failed syncs");
        GitDemo.run();
        FileDemo.run();
    }

    static final class Job {
        private final Repo repo = new Repo();

        int run(int round) throws InterruptedException {
            int failed = 0;
            for (String name : new String[] {"core", "web"}) {
                try {
                    repo.sync(name, round);
                } catch (IllegalStateException e) {
                    failed++;
                }
            }
            return failed;
        }
    }

    static final class Repo {
        void sync(String name, int round) throws InterruptedException {
            fetch(name);
            if (round % 7 == 6 && name.equals("web")) {
                throw new IllegalStateException("push rejected for https://demo:s3cret@git.example.com/" + name);
            }
            push(name);
        }

        void fetch(String name) throws InterruptedException {
            Thread.sleep(ThreadLocalRandom.current().nextInt(2, 6));
        }

        void push(String name) throws InterruptedException {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 3));
        }
    }
}
