package com.acme;

/** Runs with secrets in its command line and hits an exception whose message contains a password URL. */
public final class SecretsApp {
    public static void main(String[] args) {
        String url = AppArgs.stringArg(args, "url", "https://alice:s3cr3tPass@git.example.com/repo.git");
        try {
            new Remote().cloneFrom(url);
        } catch (IllegalArgumentException e) {
            System.out.println("clone failed as expected");
        }
        System.out.println("sync = " + new Repo("origin").sync(2));
    }
}
