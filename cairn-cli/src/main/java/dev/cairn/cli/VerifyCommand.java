package dev.cairn.cli;

import dev.cairn.client.backup.Progress;
import dev.cairn.client.drill.DrillOptions;
import dev.cairn.client.drill.DrillResult;
import dev.cairn.client.drill.Mismatch;
import dev.cairn.repository.Repository;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "verify", description = {
        "The restore drill: restore a random sample of files to a temporary folder and check every byte.",
        "Each file is checked against the snapshot and, where its source on this machine has the size and"
                + " modification time the snapshot recorded, against the source. A source changed since the"
                + " snapshot is counted, not compared. Nothing is left in the temporary folder.",
        "Exit code 1 on any mismatch: damaged-backup (the backup cannot give the file back), source-differs"
                + " (the source changed without its time changing: bit rot, or a tool that reset the time),"
                + " restore-differs (this machine wrote the copy wrong)."})
final class VerifyCommand implements Callable<Integer> {
    /** Seeds below 2^53 survive a trip through JSON readers that hold numbers as doubles. */
    private static final long SEED_BOUND = 1L << 53;

    @ParentCommand
    Cairn cairn;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "latest", paramLabel = "SNAPSHOT",
            description = "Snapshot id (or unique prefix), or 'latest' (the default).")
    String snapshot;

    @Option(names = "--files", paramLabel = "N", defaultValue = "20",
            description = "Test at most N files (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Test at most SIZE bytes in all: 500K, 100M, 2G (powers of 1024). Default: no cap.")
    Long bytes;

    @Option(names = "--seed", paramLabel = "S",
            description = "Choose the files with this seed, to repeat an earlier drill. Default: random, and printed.")
    Long seed;

    @Option(names = "--temp", paramLabel = "DIR",
            description = "Restore into a new folder inside DIR (default: the system's temporary folder).")
    Path temp;

    @Option(names = "--no-source", description = "Do not compare with the source files on this machine.")
    boolean noSource;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (files < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--files must be at least 1");
        }
        DrillOptions options = new DrillOptions(files, bytes == null ? Long.MAX_VALUE : bytes,
                seed != null ? seed : ThreadLocalRandom.current().nextLong(SEED_BOUND),
                temp != null ? temp : Path.of(System.getProperty("java.io.tmpdir")), !noSource);
        try (Repository repo = cairn.open()) {
            Progress progress = new Progress();
            DrillResult r;
            try (ProgressBar bar = ProgressBar.start(progress, cairn.err, cairn.clock, "verify",
                    cairn.terminal && !json && !cairn.quiet)) {
                r = Drills.run(repo, snapshot, s -> options, cairn.clock, progress);
            }
            if (json) {
                cairn.out.println(Json.write(toJson(r)));
            } else {
                print(r);
            }
            return r.passed() ? Cairn.OK : Cairn.ERROR;
        }
    }

    private void print(DrillResult r) {
        r.warnings().forEach(w -> cairn.err.println("warning: " + w));
        for (Mismatch m : r.mismatches()) {
            cairn.err.println("mismatch (" + m.kind().label() + "): " + m.path() + ": " + m.detail());
        }
        String sources = noSource ? "sources not compared (--no-source)"
                : String.format("sources: %d identical, %d changed since the snapshot (not compared), %d gone",
                        r.sourcesCompared() - r.mismatches().stream()
                                .filter(m -> m.kind() == Mismatch.Kind.SOURCE_DIFFERS).count(),
                        r.sourcesChanged(), r.sourcesGone());
        String line = String.format("verify snapshot %s (seed %d): %d files, %s restored and checked in %s; %s; %s",
                r.snapshot().shortHex(), r.seed(), r.filesTested(), Units.bytes(r.bytesTested()),
                Units.duration(r.duration().toMillis()), sources,
                r.passed() ? "PASS" : "FAIL: " + r.mismatches().size() + " mismatch(es)");
        if (r.passed()) {
            cairn.info(line);
        } else {
            cairn.out.println(line); // a failed drill is reported even with --quiet
        }
    }

    private static Map<String, Object> toJson(DrillResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("snapshot", r.snapshot().hex());
        m.put("seed", r.seed());
        m.put("files_tested", r.filesTested());
        m.put("bytes_tested", r.bytesTested());
        m.put("duration_ms", r.duration().toMillis());
        m.put("sources_compared", r.sourcesCompared());
        m.put("sources_changed", r.sourcesChanged());
        m.put("sources_gone", r.sourcesGone());
        List<Object> mismatches = r.mismatches().stream().<Object>map(x -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("path", x.path());
            o.put("kind", x.kind().label());
            o.put("detail", x.detail());
            return o;
        }).toList();
        m.put("mismatches", mismatches);
        m.put("warnings", r.warnings());
        m.put("verdict", r.passed() ? "pass" : "fail");
        m.put("passed", r.passed());
        return m;
    }

    /** Sizes like {@code 1048576}, {@code 500K}, {@code 100M}, {@code 2GiB}: powers of 1024. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);

        @Override
        public Long convert(String value) {
            return parse(value);
        }

        static long parse(String value) {
            Matcher m = SIZE.matcher(value.strip());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a size (examples: 500K, 100M, 2G)");
            }
            int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            try {
                long n = Long.parseLong(m.group(1));
                if (n <= Long.MAX_VALUE >> shift) {
                    return n << shift;
                }
            } catch (NumberFormatException tooManyDigits) {
                // reported below, like any other size too large to count
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is too large");
        }
    }
}
