package dev.cairn.server.cli;

import dev.cairn.server.Admin;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.catalog.MonitorCatalog.MonitoredSet;
import dev.cairn.server.monitor.Monitor;
import dev.cairn.server.monitor.SetState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn server status}: the monitored sets, judged now as the running server judges them. */
@Command(name = "status", description = {"Show how every client's backup sets stand.", "",
        "Each set an agent reports on is failed, overdue, warning or ok, judged now from the reports",
        "it sent, as the running server judges it for alerts, metrics and the daily report.",
        "The overdue grace comes from DATA/server.conf.",
        "A retired client's sets stay overdue until forgotten: cairn server status forget."},
        subcommands = StatusCommand.Forget.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every set is ok or has warnings (or there is none)", "1:error",
                "2:invalid command line", "3:a set has failed or is overdue"})
final class StatusCommand extends AdminCommand {
    static final int ATTENTION = 3;

    @Option(names = "--account", paramLabel = "NAME", description = "Only this account's sets (default: all).")
    String account;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    private record Row(MonitoredSet set, Monitor.Assessment assessment) {}

    @Override
    int execute() throws Exception {
        ServerConfig config = configured().build();
        List<MonitoredSet> sets;
        try (Admin admin = openAdmin()) {
            sets = account == null ? admin.monitoredSets() : admin.monitoredSets(account);
        }
        Instant now = ctx().clock().instant();
        List<Row> rows = new ArrayList<>();
        for (MonitoredSet s : sets) {
            rows.add(new Row(s, Monitor.assess(s, now, config.monitoring().overdueGrace(), config.zone())));
        }
        if (json) {
            json(rows.stream().map(StatusCommand::toJson).toList());
        } else {
            print(rows);
        }
        boolean attention = rows.stream().map(r -> r.assessment().state())
                .anyMatch(s -> s == SetState.FAILED || s == SetState.OVERDUE);
        return attention ? ATTENTION : 0;
    }

    private void print(List<Row> rows) {
        if (rows.isEmpty()) {
            ctx().out().println("no monitored sets" + (account == null ? "" : " for " + account)
                    + ": an agent reports on a set after each run when the set has report-to-server = true");
            return;
        }
        for (Row r : rows) {
            MonitoredSet s = r.set();
            String state = r.assessment().state().label();
            ctx().out().printf("%-12s %-32s %-8s last success %s, last report %s%s%n", s.account(),
                    s.client() + " / " + s.set(), r.assessment().state() == SetState.OK ? state
                            : state.toUpperCase(Locale.ROOT),
                    time(millis(s.lastSuccessMs())), time(millis(s.lastReportMs())),
                    s.schedule() == null ? "" : " (" + s.schedule() + ")");
            r.assessment().problems().forEach(p -> ctx().out().println("    " + p));
        }
    }

    private static Map<String, Object> toJson(Row r) {
        MonitoredSet s = r.set();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", s.account());
        m.put("client", s.client());
        m.put("set", s.set());
        m.put("state", r.assessment().state().label());
        m.put("problems", r.assessment().problems());
        m.put("schedule", s.schedule());
        m.put("lastSuccess", iso(s.lastSuccessMs()));
        m.put("lastReport", iso(s.lastReportMs()));
        m.put("nextRun", iso(s.nextRunMs()));
        m.put("lastBackupResult", s.backupResult());
        m.put("lastDrillVerdict", s.drillVerdict());
        return m;
    }

    /** {@code cairn server status forget}: stops watching a set whose client is gone. */
    @Command(name = "forget", description = {"Stop monitoring a set, e.g. of a retired client.", "",
            "Its reports and open incidents go, without a recovery notice. Its backups stay; a new report",
            "from the same client and set starts monitoring it again."})
    static final class Forget extends AdminCommand {
        @Option(names = "--account", paramLabel = "NAME", required = true, description = "The set's account.")
        String account;

        @Parameters(paramLabel = "CLIENT/SET", description = "As 'cairn server status' shows it, e.g. laptop/docs.")
        String which;

        @Override
        int execute() {
            int slash = which.lastIndexOf('/');
            if (slash <= 0 || slash == which.length() - 1) {
                throw new ServerCommand.UserError("name the set as CLIENT/SET, e.g. laptop/docs, not '" + which + "'");
            }
            String client = which.substring(0, slash).strip();
            String set = which.substring(slash + 1).strip();
            try (Admin admin = openAdmin()) {
                admin.forgetMonitoredSet(account, client, set);
            }
            ctx().out().println("stopped monitoring " + client + " / " + set + " of " + account);
            return 0;
        }
    }

    private static Instant millis(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    private static String iso(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms).toString();
    }
}
