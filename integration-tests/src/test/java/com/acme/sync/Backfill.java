package com.acme.sync;

import java.io.IOException;

/** Catching up with a peer on connect: pages of changes since our watermark until the peer has no more. */
public final class Backfill {
    public static final int PAGE_SIZE = 10;
    private final RecordStore store;
    private final Watermarks watermarks;

    public Backfill(RecordStore store, Watermarks watermarks) {
        this.store = store;
        this.watermarks = watermarks;
    }

    /** One session; returns the number of pages. */
    public int run(PeerLink link, Hlc.Clock clock) throws IOException {
        int pages = 0;
        boolean more = true;
        while (more) {
            Frame page = fetchPage(link, watermarks.of(link.peerId()), clock);
            pages++;
            for (Change c : page.entries) {
                store.apply(c);
            }
            more = page.number == 1;
        }
        Reporter.Current.to.operation("backfill", link.peerId(), null, -1, -1, "success");
        return pages;
    }

    public Frame fetchPage(PeerLink link, Hlc since, Hlc.Clock clock) throws IOException {
        link.sendFrame(new Frame("BACKFILL", "control", since, PAGE_SIZE, java.util.List.of()));
        Frame page = link.readFrame();
        if (!page.type.equals("PAGE")) {
            throw new IOException("expected PAGE, got " + page.type);
        }
        Reporter.Current.to.operation("backfill_page", link.peerId(), null, page.entries.size(), -1, "success");
        return page;
    }
}
