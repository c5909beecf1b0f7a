package dev.obs.exporter;

import dev.obs.bootstrap.ObsSpan;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The span path of the exporter thread: queue → staging → converted batch → every destination's SDK span
 * exporter, and the counts of what was taken and dropped on the way. Exporter thread only.
 *
 * <p>Spans move from the queue into a staging buffer (references to the recorded spans, bounded at
 * {@link #STAGING_PER_QUEUE_SLOT} times the queue's capacity) as fast as the thread can poll, also while the
 * session is still opening, and are converted from there as fast as the destinations take them. When the
 * destinations cannot keep up, staging stops taking spans, the queue backs up past its high-water mark and
 * {@link SpanQueue} sheds whole traces at their root. While the first destination has
 * {@link InFlightSpanExports#MAX_IN_FLIGHT} exports unanswered, spans wait in staging; a later destination
 * that is full loses the batch, counted as {@code backlog}.
 */
final class SpanShipper {
    /**
     * Staging holds at most this many spans per queue slot: at the default 65 536 slots, 524 288 spans,
     * about 46 MB of recorded spans held during a burst the export path cannot keep up with.
     */
    static final int STAGING_PER_QUEUE_SLOT = 8;
    /** Spans converted per loop turn, so the queue is drained between conversions. */
    static final int CONVERT_PER_TURN = 8192;

    private final ExporterSettings settings;
    private final SpanQueue queue;
    private final ArrayDeque<ObsSpan> staging = new ArrayDeque<>();
    private final int stagingCapacity;
    /** The batch being filled, handed to every destination's SDK span exporter. */
    private final List<SpanData> batch = new ArrayList<>();
    private int batchSpans;
    /** Null until {@link #connect}. */
    private ExportSession session;
    private InFlightSpanExports inFlight = new InFlightSpanExports(0);
    /** How full the last drain found the span queue. */
    private double queueFill;
    /** Spans taken from the queue. */
    private long spansAccepted;
    private long queueDepthMax;
    /** Spans a destination after the first could not take. */
    private long spansDroppedBacklog;
    /** Spans still in obs at the shutdown deadline, never handed to an exporter. */
    private long spansDroppedShutdown;
    /** Whether a batch has been handed to the destinations. */
    private boolean anySent;

    SpanShipper(ExporterSettings settings, SpanQueue queue) {
        this.settings = settings;
        this.queue = queue;
        this.stagingCapacity = (int) Math.min(Integer.MAX_VALUE - 8,
                (long) queue.capacity() * STAGING_PER_QUEUE_SLOT);
    }

    /** From now on staged spans are converted and sent to the session's destinations. */
    void connect(ExportSession session) {
        this.session = session;
        this.inFlight = new InFlightSpanExports(session.destinations.size());
    }

    /** Moves spans from the queue into staging until staging is full. */
    void drain() {
        drain(stagingCapacity);
    }

    /** Moves every span of the queue into staging. */
    void drainAll() {
        drain(Integer.MAX_VALUE);
    }

    private void drain(int limit) {
        MpscAtomicArrayQueue<ObsSpan> q = queue.queue();
        int depth = q.size();
        if (depth > queueDepthMax) {
            queueDepthMax = depth;
        }
        // the depth before draining: a queue that keeps backing up must shorten the park
        queueFill = depth / (double) q.capacity();
        ObsSpan span;
        // with obs.exporter=none nothing is queued: SpanQueue counts those spans (unexported) instead
        while (staging.size() < limit && (span = q.relaxedPoll()) != null) {
            spansAccepted++;
            staging.addLast(span);
        }
    }

    /** How full the last drain found the span queue (0 to 1). */
    double queueFill() {
        return queueFill;
    }

    boolean stagingHasRoom() {
        return staging.size() < stagingCapacity;
    }

    int staged() {
        return staging.size();
    }

    /** Whether spans wait in staging or in the batch being filled. */
    boolean hasUnsent() {
        return !staging.isEmpty() || batchSpans > 0;
    }

    /**
     * Converts up to {@code max} staged spans into the batch, flushing full batches, while the first
     * destination has room for another batch. Returns true when staged spans are left.
     */
    boolean convertStaged(int max) {
        for (int n = 0; n < max && !staging.isEmpty(); n++) {
            if (batchSpans == 0 && !inFlight.hasRoom(0)) {
                break;
            }
            ObsSpan span = staging.pollFirst();
            batch.add(session.converter.convert(span));
            if (++batchSpans >= settings.spanBatchSize()) {
                flush();
            }
        }
        return !staging.isEmpty();
    }

    /**
     * Whether the spans not handed to the destinations yet (staged and batched) go in one batch the first
     * destination has room for.
     */
    boolean fitsOneBatch() {
        return staging.size() + batchSpans <= settings.spanBatchSize() && inFlight.hasRoom(0);
    }

    /** Whether a batch of spans has been handed to the destinations yet. */
    boolean anySent() {
        return anySent;
    }

    /** Whether the first destination can take another batch now. */
    boolean firstHasRoom() {
        return inFlight.hasRoom(0);
    }

    /** Waits, at most until {@code deadline}, for the first destination's oldest unanswered export. */
    void awaitFirstsOldest(long deadline) {
        inFlight.awaitOldest(0, deadline);
    }

    void awaitAll(long deadline) {
        inFlight.awaitAll(deadline);
    }

    /**
     * Hands the batch to every destination. Returns false, keeping the batch, while the first destination
     * has no room; a later destination without room loses the batch ({@code backlog}).
     */
    boolean flush() {
        if (batchSpans == 0) {
            return true;
        }
        if (!inFlight.hasRoom(0)) {
            return false;
        }
        anySent = true;
        List<SpanData> spans = new ArrayList<>(batch);
        int size = batchSpans;
        batch.clear();
        batchSpans = 0;
        List<Destination> destinations = session.destinations;
        for (int i = 0; i < destinations.size(); i++) {
            if (i > 0 && !inFlight.hasRoom(i)) {
                spansDroppedBacklog += size;
                continue;
            }
            SpanBatch b = new SpanBatch(size, session.counters[i]);
            Destination d = destinations.get(i);
            try {
                b.watch(d.spans().export(spans));
            } catch (Throwable t) {
                b.settle(false);
                continue;
            }
            inFlight.add(i, b);
        }
        return true;
    }

    /** Counts every span not exported by now as dropped at shutdown: staged, batched, queued, unanswered. */
    void abandonUnexported() {
        drainAll();
        spansDroppedShutdown += staging.size() + batchSpans;
        staging.clear();
        batch.clear();
        batchSpans = 0;
        inFlight.abandonAll();
    }

    long accepted() {
        return spansAccepted + queue.unexported();
    }

    long queueDepthMax() {
        return queueDepthMax;
    }

    /** Why spans and values were not exported, counted for the first destination. */
    SelfMetrics.Drops drops() {
        SelfMetrics.ExporterCounters first = session == null ? null : session.first();
        return new SelfMetrics.Drops(queue.queueFull(), queue.shedSpans(), queue.shedTraces(), spansDroppedBacklog,
                first == null ? 0 : first.spansFailed.get(),
                spansDroppedShutdown + (first == null ? 0 : first.spansAbandoned.get()),
                queue.unexported());
    }
}
