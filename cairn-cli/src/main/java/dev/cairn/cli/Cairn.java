package dev.cairn.cli;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.UnsupportedVersionException;
import dev.cairn.format.crypto.KdfParams;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.storage.Backend;
import dev.cairn.storage.local.LocalBackend;
import dev.cairn.storage.retry.RetryingBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code cairn} command: global options, shared plumbing, and the exit-code contract. */
@Command(name = "cairn", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Cairn.Version.class,
        description = {"Encrypted, deduplicating backups.", ""},
        subcommands = {InitCommand.class, BackupCommand.class, SnapshotsCommand.class, LsCommand.class,
                RestoreCommand.class, CheckCommand.class, KeyCommand.class, ForgetCommand.class, PruneCommand.class,
                VerifyCommand.class, DiffCommand.class, FindCommand.class, StatsCommand.class, AccountCommand.class,
                AgentCommand.class, ConfigCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:error (the message says what happened and what to do)",
                "2:invalid command line",
                "3:backup finished, but some files could not be read (listed as warnings)",
                "10:no repository at the location given",
                "11:repository is locked by another process",
                "12:wrong password",
                "13:the server refused the upload: the account's quota is exhausted",
                "14:the server refused the credential (token or password)"},
        footerHeading = "%nEnvironment:%n",
        footer = {
                "  CAIRN_REPOSITORY   repository location (like --repo); default: the user's data directory",
                "  CAIRN_PASSWORD     the repository password (--password-file and --password-command take precedence)",
                "  CAIRN_SERVER_TOKEN the device token for a repository on a Cairn server (--server-token-file wins)",
                "  CAIRN_SERVER_FINGERPRINT  the server certificate's SHA-256 fingerprint (--server-fingerprint wins)",
                "  CAIRN_ACCOUNT_PASSWORD    the account password on a Cairn server, for 'cairn account'",
                "",
                "Server: 'cairn server --help' lists the commands that run and administer a Cairn server."})
public final class Cairn {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int PARTIAL = 3;
    static final int QUOTA = 13;
    static final int NOT_AUTHORIZED = 14;

    @Option(names = {"-r", "--repo"}, paramLabel = "LOCATION", scope = CommandLine.ScopeType.INHERIT,
            description = "Repository: a local folder, or cairn+https://HOST:PORT/ACCOUNT/REPO on a Cairn server."
                    + " Default: $CAIRN_REPOSITORY, else the user's data directory.")
    String repo;

    @Option(names = "--server-token-file", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Read the Cairn server device token from the first line of FILE (else $CAIRN_SERVER_TOKEN).")
    Path serverTokenFile;

    @Option(names = "--server-fingerprint", paramLabel = "SHA256", scope = CommandLine.ScopeType.INHERIT,
            description = "Trust the Cairn server whose certificate has this SHA-256 fingerprint (as 'cairn server"
                    + " fingerprint' prints it). Else $CAIRN_SERVER_FINGERPRINT, else a fingerprint accepted earlier,"
                    + " else the system's certificate authorities.")
    String serverFingerprint;

    @Option(names = "--password-file", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Read the password from the first line of FILE.")
    Path passwordFile;

    @Option(names = "--password-command", paramLabel = "COMMAND", scope = CommandLine.ScopeType.INHERIT,
            description = "Run COMMAND (with sh -c) and use the first line it prints as the password.")
    String passwordCommand;

    @Option(names = "--limit-upload", paramLabel = "RATE", scope = CommandLine.ScopeType.INHERIT,
            converter = RateConverter.class,
            description = "Limit uploads to RATE, like 2MiB/s or 500KiB/s (for the agent, overrides limit-upload).")
    Long limitUpload;

    @Option(names = "--limit-download", paramLabel = "RATE", scope = CommandLine.ScopeType.INHERIT,
            converter = RateConverter.class,
            description = "Limit downloads to RATE, like 10MiB/s (for the agent, overrides limit-download).")
    Long limitDownload;

    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print only errors and warnings.")
    boolean quiet;

    Map<String, String> env = System.getenv();
    Clock clock = Clock.systemUTC();
    /** Retention buckets (days, weeks) follow the user's local calendar. */
    java.time.ZoneId zone = java.time.ZoneId.systemDefault();
    PrintStream out = System.out;
    PrintStream err = System.err;
    boolean terminal = System.console() != null;
    Places places = Places.system();
    /** Whether 'cairn agent' lowers its own CPU and I/O priority; tests running it in-process do not. */
    boolean lowerPriority = true;
    /** Argon2id cost for new key slots; tests substitute cheap parameters. */
    KdfParams kdf = KdfParams.DEFAULT;

    public static void main(String[] args) {
        System.exit(new Cairn().run(args));
    }

    /** Runs one command line and returns its exit code; {@code cairn server …} is the server's own tree. */
    public int run(String... args) {
        if (args.length > 0 && args[0].equals("server")) {
            return dev.cairn.server.cli.ServerCommand.run(
                    java.util.Arrays.copyOfRange(args, 1, args.length), out, err, env);
        }
        CommandLine cl = new CommandLine(this);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e));
        return cl.execute(args);
    }

    /** Maps a failure to a message and an exit code; a stack trace only for a bug. */
    int report(Exception e) {
        if (e instanceof dev.cairn.storage.QuotaExceededException q) {
            err.println("cairn: the server refused the upload: " + q.getMessage());
            return QUOTA;
        }
        if (e instanceof dev.cairn.storage.NotAuthorizedException n) {
            err.println("cairn: " + n.getMessage());
            return NOT_AUTHORIZED;
        }
        if (e instanceof RepositoryException r) {
            err.println("cairn: " + r.getMessage());
            return r.exitCode();
        }
        if (e instanceof CorruptDataException || e instanceof UnsupportedVersionException) {
            err.println("cairn: " + e.getMessage());
            return ERROR;
        }
        if (e instanceof NoSuchFileException n) {
            err.println("cairn: no such file or directory: " + n.getFile()
                    + (n.getReason() != null ? " (" + n.getReason() + ")" : ""));
            return ERROR;
        }
        if (e instanceof AccessDeniedException a) {
            err.println("cairn: permission denied: " + a.getFile());
            return ERROR;
        }
        if (e instanceof FileSystemException f) {
            err.println("cairn: " + f.getMessage());
            return ERROR;
        }
        if (e instanceof IOException) {
            err.println("cairn: " + e.getMessage());
            return ERROR;
        }
        if (e instanceof UserError u) {
            err.println("cairn: " + u.getMessage());
            return ERROR;
        }
        err.println("cairn: internal error, please report it: " + e);
        e.printStackTrace(err);
        return ERROR;
    }

    /** A mistake in how Cairn was called that picocli cannot see (exit 1). */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message);
        }
    }

    /** The repository location as given: a folder or a server URL. */
    String location() {
        if (repo != null && !repo.isBlank()) {
            return repo;
        }
        String fromEnv = env.get("CAIRN_REPOSITORY");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : places.defaultRepository().toString();
    }

    Backend backend() throws IOException {
        String where = location();
        Backend b = ServerAccess.isServerUrl(where) ? new ServerAccess(this).backend(where)
                : new LocalBackend(Path.of(where).toAbsolutePath());
        return new RetryingBackend(limited(b, 0, 0));
    }

    /** {@code backend} held to --limit-upload/--limit-download, else to the given defaults (0: none). */
    Backend limited(Backend backend, long uploadDefault, long downloadDefault) {
        return dev.cairn.agent.throttle.ThrottledBackend.limit(backend,
                limitUpload != null ? limitUpload : uploadDefault, limitDownload != null ? limitDownload : downloadDefault);
    }

    /** Opens the repository, asking for the password as configured. */
    Repository open() throws IOException {
        Backend b = backend();
        if (!b.exists(dev.cairn.storage.Handle.config())) {
            throw new RepositoryException.NotFound(b.location());
        }
        char[] pw = password("Repository password: ");
        return Repository.open(b, pw, clock);
    }

    /**
     * The password: --password-file, then --password-command, then CAIRN_PASSWORD, then a prompt.
     * A flag on the command line wins over the environment, which may be set for other commands.
     */
    char[] password(String prompt) throws IOException {
        if (passwordFile != null) {
            return firstLine(passwordFile);
        }
        if (passwordCommand != null) {
            return commandOutput(passwordCommand);
        }
        String fromEnv = env.get("CAIRN_PASSWORD");
        if (fromEnv != null) {
            return fromEnv.toCharArray();
        }
        if (System.console() == null) {
            throw new UserError("no password given and no terminal to ask on: set CAIRN_PASSWORD,"
                    + " or use --password-file or --password-command");
        }
        char[] pw = System.console().readPassword(prompt);
        if (pw == null) {
            throw new UserError("no password entered");
        }
        return pw;
    }

    /** Asks for a new password twice, unless a file gives it. */
    char[] newPassword(Path file) throws IOException {
        if (file != null) {
            return firstLine(file);
        }
        if (System.console() == null) {
            String fromEnv = env.get("CAIRN_PASSWORD");
            if (fromEnv != null) {
                return fromEnv.toCharArray();
            }
            throw new UserError("no terminal to ask for the new password on: use --new-password-file");
        }
        char[] a = System.console().readPassword("New password: ");
        char[] b = System.console().readPassword("Repeat new password: ");
        if (a == null || a.length == 0) {
            throw new UserError("the password must not be empty");
        }
        if (!java.util.Arrays.equals(a, b)) {
            throw new UserError("the passwords do not match; nothing was changed");
        }
        return a;
    }

    static char[] firstLine(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (line == null || line.isEmpty()) {
                throw new UserError("the password file " + file + " is empty");
            }
            return line.toCharArray();
        }
    }

    static char[] commandOutput(String command) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            line = r.readLine();
            r.transferTo(java.io.Writer.nullWriter());
        }
        try {
            if (p.waitFor() != 0 || line == null || line.isEmpty()) {
                throw new UserError("the password command failed or printed nothing: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running the password command");
        }
        return line.toCharArray();
    }

    String label() {
        return System.getProperty("user.name", "") + "@" + places.hostname();
    }

    void info(String line) {
        if (!quiet) {
            out.println(line);
        }
    }

    /** Rates like {@code 2MiB/s}, as in the agent's configuration; {@code 0} or {@code unlimited} for none. */
    static final class RateConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return dev.cairn.agent.config.Rates.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cairn.class.getPackage().getImplementationVersion();
            return new String[] {"cairn " + (v == null ? "development build" : v)
                    + " (repository format 1, Java " + Runtime.version() + ")"};
        }
    }
}
