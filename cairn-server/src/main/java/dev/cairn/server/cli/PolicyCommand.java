package dev.cairn.server.cli;

import dev.cairn.repository.retention.Durations;
import dev.cairn.repository.retention.Policy;
import dev.cairn.server.Admin;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn server policy set|show|clear}. */
@Command(name = "policy", description = {"Manage an account's retention policy.", "",
        "The server applies it to every repository of the account on each maintenance pass (snapshots it does not keep go to the trash)."},
        subcommands = {PolicyCommand.Set.class, PolicyCommand.Show.class, PolicyCommand.Clear.class,
                CommandLine.HelpCommand.class})
final class PolicyCommand {

    @Command(name = "set", description = {"Set the policy: the rules of 'cairn forget', per snapshot group (the same",
            "host and paths), in the server's time zone. Tag rules are not available: the server cannot",
            "see tags."})
    static final class Set extends AdminCommand {
        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Option(names = "--keep-last", paramLabel = "N", description = "Keep the newest N snapshots.")
        int last;

        @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N hours that have one.")
        int hourly;

        @Option(names = "--keep-daily", paramLabel = "N", description = "The same per day.")
        int daily;

        @Option(names = "--keep-weekly", paramLabel = "N", description = "The same per ISO week.")
        int weekly;

        @Option(names = "--keep-monthly", paramLabel = "N", description = "The same per month.")
        int monthly;

        @Option(names = "--keep-yearly", paramLabel = "N", description = "The same per year.")
        int yearly;

        @Option(names = "--keep-within", paramLabel = "DURATION",
                description = "Keep everything this close to the group's newest snapshot, e.g. 30d, 2w, 1y6m.")
        String within;

        @Override
        int execute() {
            Duration w;
            try {
                w = within == null ? null : Durations.parse(within);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            Policy policy;
            try {
                policy = new Policy(last, hourly, daily, weekly, monthly, yearly, w, null);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (Admin admin = openAdmin()) {
                admin.setPolicy(account, policy);
            }
            ctx().out().println("policy of " + account + ": " + policy.describe());
            return 0;
        }
    }

    @Command(name = "show", description = "Show an account's policy.")
    static final class Show extends AdminCommand {
        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Override
        int execute() {
            Optional<Policy> policy;
            try (Admin admin = openAdmin()) {
                policy = admin.policy(account);
            }
            ctx().out().println(policy.map(Policy::describe).orElse("no policy: the server deletes no snapshots of "
                    + account));
            return 0;
        }
    }

    @Command(name = "clear", description = "Remove an account's policy: the server then deletes no snapshots.")
    static final class Clear extends AdminCommand {
        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Override
        int execute() {
            try (Admin admin = openAdmin()) {
                admin.clearPolicy(account);
            }
            ctx().out().println("policy of " + account + " cleared");
            return 0;
        }
    }
}
