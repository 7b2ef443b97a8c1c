package dev.cairn.agent.report;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued reports to the server, oldest first, on a background thread. A report leaves the
 * queue only after {@link ReportSender#send} returned; when sending to a destination fails, the
 * shipper sends nothing more to that destination in this round (so its order is kept), goes on
 * with the others, then waits and tries again, doubling the wait after each failure up to a
 * maximum.
 * Since the queue is on disk, reports queued before a crash or restart are sent by the next
 * shipper on the same folder. New reports wake the shipper at once, unless it is backing off.
 */
public final class ReportShipper implements Closeable {
    /** The first wait after a failure. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(5);
    /** The longest wait between attempts. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(10);
    /** How often an idle shipper looks at the queue anyway (another process may have queued). */
    private static final Duration IDLE_POLL = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(ReportShipper.class);

    private final ReportQueue queue;
    private final ReportSender sender;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean woken;
    private volatile boolean closed;
    private Thread thread;

    /** A shipper with the default backoff of 5 seconds doubling up to 10 minutes. */
    public ReportShipper(ReportQueue queue, ReportSender sender) {
        this(queue, sender, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    public ReportShipper(ReportQueue queue, ReportSender sender, Duration initialBackoff, Duration maxBackoff) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.backoff = new Backoff(initialBackoff, maxBackoff);
        queue.onAdded(this::wake);
    }

    /**
     * Sends queued reports in order until the queue is empty or every destination with reports
     * left has failed; returns how many were sent. Called by the background thread; callable
     * directly when there is none.
     *
     * @throws IOException the first failure, after the reports of the other destinations were sent
     */
    public synchronized int drain() throws IOException {
        int sent = 0;
        while (!closed) {
            List<ReportQueue.Queued> pending = queue.pending();
            if (pending.isEmpty()) {
                return sent;
            }
            Set<String> failed = new HashSet<>();
            IOException first = null;
            for (ReportQueue.Queued q : pending) {
                String destination = sender.destination(q.report());
                if (closed || failed.contains(destination)) {
                    continue;
                }
                try {
                    sender.send(q.report());
                    queue.remove(q);
                    sent++;
                } catch (RejectedReportException e) {
                    LOG.warn("the server refused report {} of set {} ({}); it was set aside in {}",
                            q.report().id(), q.report().set(), e.getMessage(), queue.folder().resolve(ReportQueue.REJECTED));
                    queue.reject(q);
                } catch (IOException e) {
                    failed.add(destination);
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
        return sent;
    }

    /** Starts the background thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::loop, "cairn-report-shipper");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the shipper to look at the queue now, unless it is waiting out a failure. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the background thread; queued reports stay queued. */
    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        int failures = 0;
        while (!closed) {
            Duration wait;
            boolean wakeable;
            try {
                drain();
                failures = 0;
                wait = IDLE_POLL;
                wakeable = true;
            } catch (IOException | RuntimeException e) {
                failures++;
                wait = backoff.delay(failures);
                wakeable = false;
                if (e instanceof dev.cairn.storage.NotAuthorizedException) {
                    // A revoked or mistyped token needs a person; the reports wait until it is fixed.
                    LOG.warn("the server refused the agent's token; reports stay queued ({}); trying again in {} s",
                            e.getMessage(), wait.toSeconds());
                } else {
                    LOG.info("could not send reports ({}); trying again in {} s", e.getMessage(), wait.toSeconds());
                }
            }
            if (!await(wait, wakeable)) {
                return;
            }
        }
    }

    /** Waits for {@code duration}, or until woken when {@code wakeable}; false when interrupted. */
    private boolean await(Duration duration, boolean wakeable) {
        lock.lock();
        try {
            long nanos = duration.toNanos();
            if (!wakeable) {
                woken = false;
            }
            // A wake-up that came while sending is not lost: the flag stays set until waited on.
            while (nanos > 0 && !closed && !(wakeable && woken)) {
                nanos = wakeUp.awaitNanos(nanos);
            }
            woken = false;
            return true;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Exponential backoff: the initial delay, doubled per further failure, capped. */
    record Backoff(Duration initial, Duration max) {
        Backoff {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("bad backoff " + initial + " .. " + max);
            }
        }

        /** The wait after the {@code failures}-th failure in a row (1-based). */
        Duration delay(int failures) {
            Duration d = initial;
            for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(max) > 0 ? max : d;
        }
    }
}
