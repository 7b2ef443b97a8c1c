package dev.cairn.agent.run;

import dev.cairn.agent.config.AgentConfig;
import dev.cairn.agent.config.BackupMode;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.report.ReportQueue;
import dev.cairn.agent.report.RunReport;
import dev.cairn.agent.schedule.JobKind;
import dev.cairn.agent.schedule.Plan;
import dev.cairn.agent.schedule.ScheduleState;
import dev.cairn.agent.schedule.ScheduleStore;
import dev.cairn.agent.schedule.Scheduler;
import dev.cairn.agent.status.AgentStatus;
import dev.cairn.agent.status.LastRun;
import dev.cairn.agent.status.SetStatus;
import dev.cairn.agent.watch.ChangeWatcher;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running agent behind {@code cairn agent}: runs each backup set on its schedule or,
 * for continuous sets, as its files change; runs restore drills; keeps the status file and
 * queues a report of every run.
 *
 * <p>All decisions are taken on one coordinator thread, which owns the agent's state; runs happen
 * on worker threads, at most one per set at any time (a backup and a drill of one set never
 * overlap either) and at most {@code maxConcurrentRuns} in all, one by default, so the agent
 * stays out of the user's way. While the machine's load per core is above the configured
 * threshold, due runs wait. Workers run at the lowest Java thread priority; the real lowering of
 * CPU and I/O priority comes from how the agent is started (on Linux the service runs it under
 * {@code nice -n 10 ionice -c3}).
 *
 * <p>Time comes from the injected {@link Clock}; the coordinator sleeps until the next scheduled
 * time but never longer than a minute, because a sleeping machine does not advance the timers
 * the JVM waits on: on waking, the agent notices within a minute and catches up once.
 */
public final class Agent implements Closeable {
    /** The longest the coordinator sleeps between looks at the clock. */
    static final Duration MAX_SLEEP = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final Map<String, BackupSet> sets = new LinkedHashMap<>();
    private final Clock clock;
    private final Path stateDir;
    /** Held from start to close: one agent per state folder. */
    private InstanceLock instanceLock;
    private final LoadProbe load;
    private final ReportQueue reports;
    private final int maxConcurrentRuns;
    private final Duration loadRecheck;
    private final boolean watchFiles;
    private final Scheduler scheduler;
    private final ScheduleStore store;
    private final JobRunner jobs;
    private final String host;

    private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Map<String, ChangeWatcher> watchers = new HashMap<>();
    private Thread coordinator;
    private volatile boolean stopping;

    // Owned by the coordinator thread (and by close() once the coordinator has ended).
    private volatile ScheduleState state = ScheduleState.EMPTY;
    private final Map<String, JobKind> pending = new LinkedHashMap<>();
    private final Map<String, Running> running = new HashMap<>();
    private final Map<String, Map<String, LastRun>> lastRuns = new HashMap<>();
    private final Map<String, String> setProblems = new HashMap<>();
    private Plan plan;
    private double blockingLoad = -1;

    private record Running(JobKind kind, Instant start) {}

    private Agent(Builder b) {
        this.config = b.config;
        b.config.sets().forEach(s -> sets.put(s.name(), s));
        this.clock = b.clock;
        this.stateDir = b.stateDir;
        this.load = b.load;
        this.reports = b.reports;
        this.maxConcurrentRuns = b.maxConcurrentRuns;
        this.loadRecheck = b.loadRecheck;
        this.watchFiles = b.watchFiles;
        this.scheduler = new Scheduler(b.config.sets(), b.zone);
        this.store = new ScheduleStore(stateDir);
        this.jobs = new JobRunner(b.runner, clock);
        this.host = b.host;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(maxConcurrentRuns, r -> {
            Thread t = new Thread(r, "cairn-run-" + n.incrementAndGet());
            // A hint only: most JVMs on Linux ignore it; the service's nice/ionice does the real work.
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-watch-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts building an agent for {@code config} whose runs {@code runner} performs. */
    public static Builder builder(AgentConfig config, SetRunner runner) {
        return new Builder(config, runner);
    }

    /**
     * Loads the remembered schedule state and last runs, starts watching continuous sets and
     * starts the coordinator. Sets whose scheduled time passed while no agent ran are due at once.
     */
    public synchronized void start() throws IOException {
        if (coordinator != null) {
            throw new IllegalStateException("already started");
        }
        instanceLock = InstanceLock.acquire(stateDir);
        Instant now = clock.instant();
        state = store.load().withSets(sets.keySet(), now);
        store.save(state);
        AgentStatus.read(stateDir).ifPresent(previous -> previous.sets().forEach(s -> {
            if (sets.containsKey(s.name())) {
                lastRuns.put(s.name(), new HashMap<>(s.lastRuns()));
            }
        }));
        if (watchFiles) {
            startWatchers();
        }
        coordinator = new Thread(this::loop, "cairn-agent");
        coordinator.start();
    }

    /** Asks for a backup of {@code set} now, as soon as it is not running and the load allows. */
    public void runNow(String set) {
        if (!sets.containsKey(set)) {
            throw new IllegalArgumentException("no backup set named '" + set + "'");
        }
        events.add(() -> enqueue(set, JobKind.BACKUP, null));
    }

    /** Makes the coordinator look at the clock and the load now, as after a wake-up. */
    void wakeUp() {
        events.add(() -> { });
    }

    /**
     * Stops the agent: no new runs start, running ones are interrupted and given up to
     * {@code grace} to end, and the status file records that the agent stopped. Runs cut short
     * are not recorded as done, so they are due again on the next start.
     */
    public void close(Duration grace) {
        Thread c;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            c = coordinator;
        }
        wakeUp();
        joinQuietly(c);
        watchers.values().forEach(w -> {
            try {
                w.close();
            } catch (IOException e) {
                LOG.debug("closing a watcher failed", e);
            }
        });
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Runs that completed while stopping still count; everything else is discarded.
        for (Runnable event; (event = events.poll()) != null; ) {
            event.run();
        }
        writeStatus(false);
        if (instanceLock != null) {
            try {
                instanceLock.close();
            } catch (IOException e) {
                LOG.debug("releasing the agent lock failed", e);
            }
        }
    }

    /** Stops the agent, giving running runs 30 seconds to end. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void startWatchers() {
        for (BackupSet set : sets.values()) {
            if (!set.continuous()) {
                continue;
            }
            try {
                watchers.put(set.name(), ChangeWatcher.start(set, clock, timer,
                        name -> events.add(() -> enqueue(name, JobKind.BACKUP, null))));
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot watch the files of set {}: {}", set.name(), e.getMessage());
                setProblems.put(set.name(), "not watching files: " + e.getMessage());
            }
        }
    }

    private void loop() {
        while (!stopping) {
            Instant now = clock.instant();
            plan = scheduler.plan(now, state);
            plan.due().forEach(job -> enqueue(job.set(), job.kind(), job.slot()));
            dispatch(now);
            writeStatus(true);
            try {
                Runnable event = events.poll(waitMillis(now), TimeUnit.MILLISECONDS);
                while (event != null && !stopping) {
                    event.run();
                    event = events.poll();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("agent event failed", e);
            }
        }
    }

    /**
     * Adds a job unless it is already pending, or it answers a scheduled time that the run under
     * way already covers.
     */
    private void enqueue(String set, JobKind kind, Instant slot) {
        String key = set + "\0" + kind;
        if (pending.containsKey(key)) {
            return;
        }
        Running r = running.get(set);
        if (slot != null && r != null && r.kind() == kind && !r.start().isBefore(slot)) {
            return;
        }
        pending.put(key, kind);
    }

    private void dispatch(Instant now) {
        if (pending.isEmpty() || running.size() >= maxConcurrentRuns) {
            return;
        }
        double perCore = config.loadThreshold() > 0 ? load.loadPerCore() : 0;
        if (config.loadThreshold() > 0 && perCore > config.loadThreshold()) {
            if (blockingLoad < 0) {
                LOG.info("the machine is busy (load {} per core, above {}); runs wait", fmt(perCore),
                        fmt(config.loadThreshold()));
            }
            blockingLoad = perCore;
            return;
        }
        blockingLoad = -1;
        for (Iterator<Map.Entry<String, JobKind>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, JobKind> e = it.next();
            String set = e.getKey().substring(0, e.getKey().indexOf('\0'));
            if (running.size() >= maxConcurrentRuns) {
                return;
            }
            if (!running.containsKey(set)) {
                it.remove();
                start(sets.get(set), e.getValue(), now);
            }
        }
    }

    private void start(BackupSet set, JobKind kind, Instant now) {
        BackupMode mode = kind == JobKind.BACKUP ? scheduler.modeFor(set.name(), now, state) : null;
        running.put(set.name(), new Running(kind, now));
        ChangeWatcher watcher = watchers.get(set.name());
        if (watcher != null && kind == JobKind.BACKUP) {
            watcher.runStarted();
        }
        LOG.info("starting {} of set {}{}", kind.name().toLowerCase(Locale.ROOT), set.name(),
                mode == null ? "" : " (" + mode.configName() + ")");
        workers.execute(() -> {
            List<RunReport> done;
            try {
                List<RunReport> reports = kind == JobKind.BACKUP ? jobs.backup(set, mode) : List.of(jobs.drill(set));
                done = reports.stream().map(r -> stamp(set, r, kind == JobKind.BACKUP ? now : null)).toList();
            } catch (InterruptedException e) {
                events.add(() -> abandoned(set.name(), kind));
                return;
            }
            queueReports(set, done);
            events.add(() -> completed(set.name(), kind, now, mode, done));
        });
    }

    /**
     * Adds what the runner cannot know: the host, the set's schedule, its next backup and the
     * repository's name on its server. {@code backupStart} is when this job's backup started, or
     * null for a drill (the last backup is then the remembered one).
     */
    private RunReport stamp(BackupSet set, RunReport r, Instant backupStart) {
        Instant end = r.end();
        Instant lastBackup = backupStart;
        if (lastBackup == null) {
            // Read on a worker thread: the state is replaced, never changed, so a stale one is merely older.
            ScheduleState current = state;
            lastBackup = current.times(set.name()).map(t -> t.lastBackup().orElse(t.firstSeen())).orElse(end);
        }
        return r.withContext(host, scheduler.describe(set.name(), end),
                scheduler.nextBackup(set.name(), lastBackup, end).orElse(null), repositoryName(set));
    }

    /** The repository's name on its server; local folders stay private. */
    static String repositoryName(BackupSet set) {
        if (!set.onServer()) {
            return null;
        }
        try {
            return dev.cairn.storage.http.ServerLocation.parse(set.repository()).repo();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Hands the reports to the queue; off the coordinator thread, because it forces files to disk. */
    private void queueReports(BackupSet set, List<RunReport> done) {
        for (RunReport r : done) {
            LOG.info("{} of set {}: {}{}", r.kind().wireName(), set.name(), r.result().wireName(),
                    r.reason() == null ? "" : " (" + r.reason() + ")");
            if (reports != null && config.reportsFor(set)) {
                try {
                    reports.add(r);
                } catch (IOException e) {
                    LOG.error("could not queue the report of set {}: {}", set.name(), e.getMessage());
                }
            }
        }
    }

    private void completed(String set, JobKind kind, Instant start, BackupMode mode, List<RunReport> done) {
        running.remove(set);
        RunReport main = done.get(0);
        state = kind == JobKind.BACKUP
                ? state.withBackup(set, start, mode == BackupMode.FULL && main.succeeded())
                : state.withDrill(set, start);
        try {
            store.save(state);
        } catch (IOException e) {
            LOG.error("could not save the schedule state: {}", e.getMessage());
        }
        Map<String, LastRun> last = lastRuns.computeIfAbsent(set, k -> new HashMap<>());
        for (RunReport r : done) {
            last.put(r.kind().wireName(), new LastRun(r.kind().wireName(), r.start(), r.end(), r.result().wireName(),
                    Optional.ofNullable(r.reason()), r.filesAdded(), r.bytesAdded(), Optional.ofNullable(r.snapshotId())));
        }
        finishWatch(set, kind);
    }

    private void abandoned(String set, JobKind kind) {
        running.remove(set);
        finishWatch(set, kind);
    }

    private void finishWatch(String set, JobKind kind) {
        ChangeWatcher watcher = watchers.get(set);
        if (watcher != null && kind == JobKind.BACKUP) {
            watcher.runFinished();
        }
    }

    private long waitMillis(Instant now) {
        Instant until = plan.wakeUp().orElse(now.plus(MAX_SLEEP));
        if (blockingLoad >= 0 && !pending.isEmpty()) {
            Instant recheck = now.plus(loadRecheck);
            until = recheck.isBefore(until) ? recheck : until;
        }
        long millis = Duration.between(now, until).toMillis();
        return Math.max(1, Math.min(MAX_SLEEP.toMillis(), millis));
    }

    private void writeStatus(boolean agentRunning) {
        List<SetStatus> list = new ArrayList<>();
        for (BackupSet set : sets.values()) {
            list.add(new SetStatus(set.name(), set.schedule().toString(), activity(set.name()),
                    new TreeMap<>(lastRuns.getOrDefault(set.name(), Map.of())),
                    plan == null ? Optional.empty() : Optional.ofNullable(plan.nextBackup().get(set.name())),
                    plan == null ? Optional.empty() : Optional.ofNullable(plan.nextDrill().get(set.name()))));
        }
        try {
            new AgentStatus(clock.instant(), ProcessHandle.current().pid(), agentRunning, list).write(stateDir);
        } catch (IOException e) {
            LOG.warn("could not write the status file: {}", e.getMessage());
        }
    }

    private String activity(String set) {
        Running r = running.get(set);
        if (r != null) {
            return "running " + r.kind().name().toLowerCase(Locale.ROOT);
        }
        boolean isPending = pending.keySet().stream().anyMatch(k -> k.startsWith(set + "\0"));
        if (isPending && blockingLoad >= 0) {
            return "waiting: load " + fmt(blockingLoad) + " per core is above " + fmt(config.loadThreshold());
        }
        if (isPending) {
            return "pending";
        }
        return setProblems.getOrDefault(set, "idle");
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static void joinQuietly(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configures an {@link Agent}; only the configuration and the runner are required. */
    public static final class Builder {
        private final AgentConfig config;
        private final SetRunner runner;
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneId.systemDefault();
        private Path stateDir;
        private LoadProbe load = LoadProbe.system();
        private ReportQueue reports;
        private int maxConcurrentRuns = 1;
        private Duration loadRecheck = Duration.ofSeconds(30);
        private boolean watchFiles = true;
        private String host = defaultHost();

        private Builder(AgentConfig config, SetRunner runner) {
            this.config = Objects.requireNonNull(config, "config");
            this.runner = Objects.requireNonNull(runner, "runner");
            this.stateDir = config.stateDir().orElse(null);
        }

        /** The source of the current time; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The time zone cron expressions are read in; the system's by default. */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** Where state, status and (by the caller's choice) the report queue live; overrides the configuration's. */
        public Builder stateDir(Path stateDir) {
            this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
            return this;
        }

        /** How busy the machine is; the operating system's load average by default. */
        public Builder loadProbe(LoadProbe load) {
            this.load = Objects.requireNonNull(load, "load");
            return this;
        }

        /** Where reports of sets that report to the server are queued; none by default. */
        public Builder reports(ReportQueue reports) {
            this.reports = reports;
            return this;
        }

        /** How many sets may run at once; 1 by default. */
        public Builder maxConcurrentRuns(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("at least one run at a time, not " + n);
            }
            this.maxConcurrentRuns = n;
            return this;
        }

        /** How often a run waiting for the load to drop looks again; 30 seconds by default. */
        public Builder loadRecheck(Duration every) {
            this.loadRecheck = Objects.requireNonNull(every, "every");
            return this;
        }

        /** Whether continuous sets watch their files; on by default (tests may trigger runs directly). */
        public Builder watchFiles(boolean watch) {
            this.watchFiles = watch;
            return this;
        }

        /** The machine's name in reports; the local host name by default. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        private static String defaultHost() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "localhost";
            }
        }

        /** The agent, not yet started. */
        public Agent build() {
            if (stateDir == null) {
                throw new IllegalStateException("no state folder: set state-dir in the configuration or call stateDir()");
            }
            return new Agent(this);
        }
    }
}
