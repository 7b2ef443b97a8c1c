package dev.cairn.server.monitor;

/** A report the server cannot accept; the message tells the agent's author which field is wrong. */
public final class BadReportException extends Exception {
    public BadReportException(String message) {
        super(message, null, false, false);
    }
}
