package dev.cairn.cli;

import dev.cairn.agent.config.AgentConfig;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.config.ConfigCheck;
import dev.cairn.agent.report.ReportQueue;
import dev.cairn.agent.report.ReportShipper;
import dev.cairn.agent.run.Agent;
import dev.cairn.agent.status.AgentStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "agent", description = {
        "Run the backup agent: back up each set of the configuration on its schedule or as its files change,"
                + " apply retention, run restore drills, and report every run to the server.",
        "Runs until stopped (SIGTERM or Ctrl-C), finishing or cleanly abandoning the run under way.",
        "The configuration's format: docs/agent-config.md; check it with 'cairn config check'."},
        subcommands = {AgentCommand.Status.class})
final class AgentCommand implements Callable<Integer> {
    /** The folder for schedule state, status and the report queue, below the data folder. */
    static final String STATE_FOLDER = "agent";

    @ParentCommand
    Cairn cairn;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The configuration file (default: agent.toml in the configuration folder).")
    Path config;

    @Override
    public Integer call() throws Exception {
        AgentConfig cfg = load(cairn, config);
        Path stateDir = stateDir(cairn, cfg);
        SetAccess access = new SetAccess(cairn, cfg);
        List<String> problems = access.problems();
        if (!problems.isEmpty()) {
            problems.forEach(p -> cairn.err.println("cairn: " + p));
            throw new Cairn.UserError("the agent cannot run these sets unattended; not starting");
        }
        if (cairn.lowerPriority) {
            LowPriority.apply();
        }
        Files.createDirectories(stateDir);
        String host = cairn.places.hostname();
        ReportQueue queue = ReportQueue.open(stateDir.resolve("reports"));
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        Agent agent = Agent.builder(cfg, new AgentRunner(access, cairn.places, cairn.clock, cairn.zone, host, temp))
                .stateDir(stateDir).reports(queue).clock(cairn.clock).zone(cairn.zone).host(host).build();
        ReportShipper shipper = cfg.sets().stream().anyMatch(cfg::reportsFor)
                ? new ReportShipper(queue, new ServerReports(cfg, access)) : null;
        runUntilStopped(agent, shipper, cfg, stateDir);
        return Cairn.OK;
    }

    /**
     * Runs until the JVM is asked to exit (SIGTERM, Ctrl-C) or, in-process, until this thread is
     * interrupted. The shutdown hook waits for the agent to close, so a run under way is given
     * its grace period rather than cut off by the JVM's exit.
     */
    private void runUntilStopped(Agent agent, ReportShipper shipper, AgentConfig cfg, Path stateDir) throws IOException {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(closed);
        }, "cairn-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            agent.start();
            if (shipper != null) {
                shipper.start();
            }
            cairn.info("cairn agent: " + cfg.sets().size() + (cfg.sets().size() == 1 ? " backup set" : " backup sets")
                    + ", state in " + stateDir);
            stop.await();
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            agent.close();
            if (shipper != null) {
                shipper.close();
            }
            closed.countDown();
            removeQuietly(hook);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads and checks the configuration, refusing to go on with a list of every problem. */
    static AgentConfig load(Cairn cairn, Path file) throws IOException {
        Path f = file != null ? file : ConfigCommand.defaultFile(cairn.places);
        if (!Files.exists(f)) {
            throw new Cairn.UserError("no configuration file " + f + "; write one (see docs/agent-config.md)"
                    + (file == null ? " or pass --config FILE" : ""));
        }
        ConfigCheck check = ConfigCheck.check(f);
        if (!check.ok()) {
            check.problems().forEach(p -> cairn.err.println(p));
            throw new Cairn.UserError(check.problems().size() + (check.problems().size() == 1 ? " problem" : " problems")
                    + " in " + f + "; not starting");
        }
        return check.config().orElseThrow();
    }

    /** The configuration's state-dir, else the agent folder in the user's data folder. */
    static Path stateDir(Cairn cairn, AgentConfig cfg) {
        return cfg.stateDir().orElse(cairn.places.dataDir().resolve(STATE_FOLDER));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down; the hook is already running.
        }
    }

    @Command(name = "status", description = {
            "Show what the agent last did: each set's last backup, forget and drill, their results, and the next run.",
            "Exit code 1 when the agent never ran with this configuration's state folder."})
    static final class Status implements Callable<Integer> {
        @ParentCommand
        AgentCommand parent;

        @Option(names = "--config", paramLabel = "FILE",
                description = "The configuration file, for its state-dir (default: agent.toml in the configuration folder).")
        Path config;

        @Option(names = "--json", description = "Print the status file's JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Cairn c = parent.cairn;
            Path stateDir = stateDir(c);
            Optional<AgentStatus> status = AgentStatus.read(stateDir);
            if (status.isEmpty()) {
                c.err.println("cairn: the agent has not run yet (no " + AgentStatus.FILE_NAME + " in " + stateDir
                        + "); start it with 'cairn agent' or its service");
                return Cairn.ERROR;
            }
            c.out.print(json ? status.get().toJson() : status.get().renderText(c.zone));
            return Cairn.OK;
        }

        /** The state folder of the configuration; the default one when the file is missing or broken. */
        private Path stateDir(Cairn c) throws IOException {
            Path f = config != null ? config : (parent.config != null ? parent.config : ConfigCommand.defaultFile(c.places));
            if (Files.exists(f)) {
                ConfigCheck check = ConfigCheck.check(f);
                if (check.ok()) {
                    return AgentCommand.stateDir(c, check.config().orElseThrow());
                }
                c.err.println("note: " + f + " has problems ('cairn config check' lists them);"
                        + " looking in the default state folder");
            } else if (config != null) {
                throw new Cairn.UserError("no configuration file " + f);
            }
            return c.places.dataDir().resolve(STATE_FOLDER);
        }
    }
}
