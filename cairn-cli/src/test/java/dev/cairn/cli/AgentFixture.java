package dev.cairn.cli;

import static org.awaitility.Awaitility.await;

import dev.cairn.agent.status.AgentStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local repository, a password file and an agent configuration for agent tests, and a way to
 * run {@code cairn agent} in a thread and stop it as a service manager would.
 */
final class AgentFixture {
    final Path dir;
    final CliHarness cli;
    final Path repo;
    final Path passwordFile;
    final Path state;
    final Path configFile;

    AgentFixture(Path dir) throws IOException {
        this.dir = dir;
        this.cli = new CliHarness(dir.resolve("home"));
        this.repo = dir.resolve("repo");
        this.passwordFile = dir.resolve("password");
        this.state = dir.resolve("state");
        this.configFile = dir.resolve("agent.toml");
        Files.writeString(passwordFile, CliHarness.PASSWORD + "\n");
    }

    AgentFixture initRepository() {
        cli.expect(0, "--repo", repo.toString(), "init");
        return this;
    }

    /** Writes agent.toml: an [agent] table with the state folder, then {@code sets}. */
    Path config(String agentExtra, String sets) throws IOException {
        Files.writeString(configFile, "[agent]\nstate-dir = " + literal(state) + "\nload-threshold = 0\n" + agentExtra
                + "\n" + sets, StandardCharsets.UTF_8);
        return configFile;
    }

    /** A set backing {@code source} up into the local repository. */
    String localSet(String name, Path source, String schedule, String extra) {
        return "[set." + name + "]\npaths = [" + literal(source) + "]\nrepository = " + literal(repo)
                + "\npassword-file = " + literal(passwordFile) + "\nschedule = \"" + schedule + "\"\n" + extra + "\n";
    }

    static String literal(Path p) {
        return "'" + p + "'";
    }

    List<Map<String, Object>> snapshots() {
        return MiniJson.arrayOfObjects(cli.expect(0, "--repo", repo.toString(), "snapshots", "--json").out());
    }

    Optional<AgentStatus> status() {
        try {
            return AgentStatus.read(state);
        } catch (IOException e) {
            return Optional.empty(); // being replaced; look again
        }
    }

    /** {@code cairn agent} running in a thread of this JVM. */
    final class Running implements AutoCloseable {
        private final Thread thread;
        private final AtomicReference<CliHarness.Result> result = new AtomicReference<>();

        Running(String... extraArgs) {
            String[] args = new String[2 + extraArgs.length + 1];
            args[0] = "agent";
            args[1] = "--config=" + configFile;
            System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
            args[args.length - 1] = "--quiet";
            thread = new Thread(() -> result.set(cli.run(args)), "test-agent");
            thread.start();
            // Watchers are registered before the first status is written.
            await().atMost(Duration.ofSeconds(20)).until(() -> status().map(AgentStatus::running).orElse(false)
                    || result.get() != null);
            if (result.get() != null) {
                throw new AssertionError("the agent stopped at once: " + result.get());
            }
        }

        /** Stops the agent the way an interrupt does in-process, and returns how it ended. */
        CliHarness.Result stop() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(40).toMillis());
            return result.get();
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) {
                stop();
            }
        }
    }
}
