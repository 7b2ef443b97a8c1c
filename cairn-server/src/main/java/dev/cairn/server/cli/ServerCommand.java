package dev.cairn.server.cli;

import dev.cairn.server.AdminException;
import dev.cairn.server.auth.CredentialHasher;
import dev.cairn.server.catalog.CatalogException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cairn server}: run a Cairn server and administer its data directory. Exit codes: 0
 * success, 1 error (with a message saying what to do), 2 invalid command line.
 */
@Command(name = "cairn server", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = ServerCommand.Version.class, usageHelpWidth = 100,
        description = {"Run a Cairn backup server and administer its accounts, tokens, policies and trash.", "",
                "A server keeps every repository under DATA/repos/ACCOUNT/REPO and its catalog in DATA/catalog.db.",
                "Administrative commands work whether or not the server is running."},
        subcommands = {ServeCommand.class, FingerprintCommand.class, AccountCommand.class, TokenCommand.class,
                PolicyCommand.class, TrashCommand.class, UsageCommand.class, StatusCommand.class, ReindexCommand.class,
                MaintainCommand.class, CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:error (the message says what happened and what to do)",
                "2:invalid command line"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  CAIRN_SERVER_DATA  the data directory (like --data); default ./cairn-server-data", "",
                "Typical setup:",
                "  cairn server account add alice      # asks for the password twice",
                "  cairn server token create --account alice --device laptop",
                "  cairn server serve                  # prints the fingerprint clients pin"})
public final class ServerCommand {
    static final int OK = 0;
    static final int ERROR = 1;

    Context context;

    private ServerCommand(Context context) {
        this.context = context;
    }

    /** Runs {@code cairn server ARGS…} and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, new Context(out, err, env, Clock.systemUTC(), CredentialHasher.DEFAULT, System.console(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))));
    }

    static int run(String[] args, Context context) {
        CommandLine cl = new CommandLine(new ServerCommand(context));
        cl.setOut(new PrintWriter(context.out(), true));
        cl.setErr(new PrintWriter(context.err(), true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, context.err()));
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Maps a failure to a message and exit code 1; a stack trace only for what looks like a bug. */
    static int report(Exception e, PrintStream err) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof NoSuchFileException n) {
            err.println("cairn server: no such file: " + n.getFile());
        } else if (t instanceof UserError || t instanceof AdminException || t instanceof IOException
                || t instanceof CatalogException || t instanceof IllegalArgumentException) {
            err.println("cairn server: " + t.getMessage());
        } else {
            err.println("cairn server: internal error, please report it: " + t);
            t.printStackTrace(err);
        }
        return ERROR;
    }

    /** A mistake in how a command was called that picocli cannot see (exit 1). */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message);
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ServerCommand.class.getPackage().getImplementationVersion();
            return new String[] {"cairn server " + (v == null ? "(development build)" : v)};
        }
    }
}
