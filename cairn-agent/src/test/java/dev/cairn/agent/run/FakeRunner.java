package dev.cairn.agent.run;

import dev.cairn.agent.config.BackupMode;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.report.RunKind;
import dev.cairn.agent.report.RunReport;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A SetRunner that records calls, can be held inside a run, and notices overlapping runs of one set. */
class FakeRunner implements SetRunner {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger overlaps = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final ConcurrentHashMap<String, Boolean> active = new ConcurrentHashMap<>();
    private final Clock clock;

    FakeRunner(Clock clock) {
        this.clock = clock;
    }

    /** Makes later runs wait until {@link #release} is called. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    int count(String call) {
        return (int) calls.stream().filter(call::equals).count();
    }

    @Override
    public RunReport backup(BackupSet set, BackupMode mode) throws Exception {
        return run(set, RunKind.BACKUP, "backup " + set.name() + " " + mode.configName());
    }

    @Override
    public RunReport forget(BackupSet set) throws Exception {
        return run(set, RunKind.FORGET, "forget " + set.name());
    }

    @Override
    public RunReport drill(BackupSet set) throws Exception {
        return run(set, RunKind.DRILL, "drill " + set.name());
    }

    private RunReport run(BackupSet set, RunKind kind, String call) throws InterruptedException {
        if (active.putIfAbsent(set.name(), true) != null) {
            overlaps.incrementAndGet();
        }
        try {
            calls.add(call);
            gate.await();
            return RunReport.builder(set.name(), kind, clock.instant()).scanned(10, 1000).added(2, 200).build();
        } finally {
            active.remove(set.name());
        }
    }
}
