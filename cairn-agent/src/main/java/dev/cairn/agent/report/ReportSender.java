package dev.cairn.agent.report;

import java.io.IOException;

/**
 * Delivers one report to the server ({@code POST /v1/reports} with {@link ReportJson} as the
 * body). Returning normally means the server has stored the report; the queue then forgets it.
 * Any {@link IOException} means it may not have, and the report is sent again later, so the
 * server must accept a report twice (it knows it by its id). A report the server refuses for
 * good is signalled with {@link RejectedReportException}.
 */
@FunctionalInterface
public interface ReportSender {
    void send(RunReport report) throws IOException;

    /**
     * Where {@code report} goes, as a key: reports with the same key are sent in queue order, and
     * a key whose sends fail does not hold up the reports of other keys, so one server that is
     * down does not leave the sets of another without reports (and their owners with false
     * "overdue" alerts). One key for all, the default, means one strict order.
     */
    default String destination(RunReport report) {
        return "";
    }
}
