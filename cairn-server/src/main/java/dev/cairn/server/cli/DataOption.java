package dev.cairn.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option every command shares. */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR",
            description = "The server's data directory (default: $CAIRN_SERVER_DATA, else cairn-server-data in the current folder).")
    Path data;

    Path resolve(Context c) {
        if (data != null) {
            return data;
        }
        String env = c.env().get("CAIRN_SERVER_DATA");
        return Path.of(env != null && !env.isBlank() ? env : "cairn-server-data");
    }
}
