package dev.cairn.agent.report;

import java.io.IOException;

/**
 * The server refused a report for good (it is malformed, or names a set the server does not
 * accept), so sending it again would not help. The shipper sets such a report aside, in the
 * queue's {@code rejected} folder, instead of retrying it forever and holding up the others.
 */
public final class RejectedReportException extends IOException {
    public RejectedReportException(String message) {
        super(message);
    }
}
