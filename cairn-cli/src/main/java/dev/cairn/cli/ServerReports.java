package dev.cairn.cli;

import dev.cairn.agent.config.AgentConfig;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.report.RejectedReportException;
import dev.cairn.agent.report.ReportJson;
import dev.cairn.agent.report.ReportSender;
import dev.cairn.agent.report.RunReport;
import dev.cairn.storage.http.ReportClient;
import dev.cairn.storage.http.ServerLocation;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Sends each report to the server holding its set's repository, with the set's token and pin. */
final class ServerReports implements ReportSender {
    private final AgentConfig config;
    private final SetAccess access;
    private final Map<String, ReportClient> clients = new HashMap<>();

    ServerReports(AgentConfig config, SetAccess access) {
        this.config = config;
        this.access = access;
    }

    @Override
    public void send(RunReport report) throws IOException {
        Optional<BackupSet> set = config.set(report.set());
        if (set.isEmpty()) {
            throw new RejectedReportException("the set '" + report.set() + "' is no longer in the configuration,"
                    + " so it is unknown where its report should go");
        }
        if (!set.get().onServer()) {
            return; // report-to-server = true on a local set: there is no server to tell
        }
        try {
            client(set.get()).post(ReportJson.toJson(report));
        } catch (ReportClient.RefusedException e) {
            throw new RejectedReportException(e.getMessage());
        }
    }

    /** The server, not the set: sets on a server that is down wait together, others go on. */
    @Override
    public String destination(RunReport report) {
        return config.set(report.set()).filter(BackupSet::onServer).map(this::server).orElse("");
    }

    private String server(BackupSet set) {
        try {
            return ServerLocation.parse(set.repository()).hostAndPort();
        } catch (IllegalArgumentException e) {
            return set.repository();
        }
    }

    private synchronized ReportClient client(BackupSet set) throws IOException {
        ReportClient c = clients.get(set.name());
        if (c == null) {
            c = access.reportClient(set);
            clients.put(set.name(), c);
        }
        return c;
    }
}
