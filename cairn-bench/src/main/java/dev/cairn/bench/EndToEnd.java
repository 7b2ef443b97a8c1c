package dev.cairn.bench;

import dev.cairn.client.backup.Archiver;
import dev.cairn.client.backup.BackupOptions;
import dev.cairn.client.backup.BackupResult;
import dev.cairn.client.backup.ParentCache;
import dev.cairn.client.backup.Progress;
import dev.cairn.client.fs.MetadataWriter;
import dev.cairn.client.fs.RawNames;
import dev.cairn.client.restore.RestoreResult;
import dev.cairn.client.restore.Restorer;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.crypto.KdfParams;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.repository.CheckReport;
import dev.cairn.repository.Checker;
import dev.cairn.repository.Lock;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import dev.cairn.storage.local.LocalBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * End-to-end benchmark in one JVM, through the same public APIs the {@code cairn} command uses:
 * init a repository in WORK/repo, back up DATA, back it up again unchanged, restore the latest
 * snapshot to WORK/restore, and check the repository reading every byte. Each step opens the
 * repository afresh (password, key derivation, index load), as a command would; only JVM start-up
 * is left out. For each step it reports wall time, process CPU time (all threads, GC and JIT
 * included) and the part of it spent in the kernel, throughput, GC time and peak heap (the sum of
 * the heap pools' peak usage during the step, after a GC before it); per run, the process's peak resident memory so far (Linux), since
 * the JVM does not give memory back between steps. Then it compares the restored tree with DATA
 * (types, sizes, symlink targets and SHA-256 of every file) and prints "restore identical: yes"
 * or "no".
 *
 * <pre>
 * java -cp cairn-bench/target/cairn-benchmarks.jar dev.cairn.bench.EndToEnd --data DIR --work DIR [--runs N] [--json]
 * </pre>
 *
 * <p>WORK is created if missing; its {@code repo}, {@code restore} and {@code cache} folders are
 * replaced on every run and left in place afterwards. A non-empty WORK that this program did not
 * create is refused, so a typo cannot delete anything else. Exit code 0 when every step succeeded
 * and every restore was identical, 1 otherwise, 2 for a bad command line or an unusable DATA or WORK.
 */
public final class EndToEnd {
    static final String PASSWORD = "bench-password";
    static final String MARKER = ".cairn-bench-work";
    static final String HOST = "cairn-bench";
    private static final double MIB = 1 << 20;

    private final Options opts;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock = Clock.systemUTC();

    EndToEnd(Options opts, PrintStream out, PrintStream err) {
        this.opts = opts;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs with these arguments and returns the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("EndToEnd: " + e.getMessage());
            err.println(Options.USAGE);
            return 2;
        }
        if (o == null) {
            out.println(Options.USAGE);
            return 0;
        }
        try {
            return new EndToEnd(o, out, err).runAll();
        } catch (IllegalArgumentException e) {
            err.println("EndToEnd: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("EndToEnd: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    // ---- options -----------------------------------------------------------------------------

    record Options(Path data, Path work, int runs, boolean json, KdfParams kdf, int threads, int level) {
        static final String USAGE = String.join("\n",
                "usage: EndToEnd --data DIR --work DIR [--runs N] [--json] [--threads N] [--compression LEVEL]"
                        + " [--kdf MEM_KIB,ITERATIONS,PARALLELISM]",
                "  --data DIR       the tree to back up (not modified)",
                "  --work DIR       where the repository (WORK/repo) and the restore (WORK/restore) go;"
                        + " replaced on every run",
                "  --runs N         repeat the whole sequence N times, each on a fresh repository (default 1)",
                "  --json           print the results as one JSON object on stdout (the table goes to stderr)",
                "  --threads N      packer threads, as the backup command uses (default: the number of cores)",
                "  --compression L  zstd level (default " + Compression.DEFAULT_LEVEL + ")",
                "  --kdf M,T,P      Argon2id cost of the key slot (default: the real default,"
                        + " " + KdfParams.DEFAULT.memoryKiB() + "," + KdfParams.DEFAULT.iterations() + ","
                        + KdfParams.DEFAULT.parallelism() + ")");

        /** Returns null for --help. */
        static Options parse(List<String> args) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean json = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("-h") || a.equals("--help")) {
                    return null;
                }
                if (a.equals("--json")) {
                    json = true;
                    continue;
                }
                String name = a;
                String value;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                if (!List.of("--data", "--work", "--runs", "--threads", "--compression", "--kdf").contains(name)) {
                    throw new IllegalArgumentException("unknown option " + a);
                }
                values.put(name, value);
            }
            if (!values.containsKey("--data") || !values.containsKey("--work")) {
                throw new IllegalArgumentException("--data and --work are required");
            }
            int runs = intValue(values, "--runs", 1, 1, 1000);
            int threads = intValue(values, "--threads", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 256);
            int level = intValue(values, "--compression", Compression.DEFAULT_LEVEL, 0, 19);
            KdfParams kdf = KdfParams.DEFAULT;
            if (values.containsKey("--kdf")) {
                String[] p = values.get("--kdf").split(",");
                if (p.length != 3) {
                    throw new IllegalArgumentException("--kdf wants MEM_KIB,ITERATIONS,PARALLELISM");
                }
                try {
                    kdf = new KdfParams(Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()),
                            Integer.parseInt(p[2].strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--kdf wants three numbers: " + values.get("--kdf"));
                }
            }
            return new Options(Path.of(values.get("--data")).toAbsolutePath().normalize(),
                    Path.of(values.get("--work")).toAbsolutePath().normalize(), runs, json, kdf, threads, level);
        }

        private static int intValue(Map<String, String> values, String name, int dflt, int min, int max) {
            String v = values.get(name);
            if (v == null) {
                return dflt;
            }
            try {
                int n = Integer.parseInt(v.strip());
                if (n < min || n > max) {
                    throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " wants a number, not '" + v + "'");
            }
        }
    }

    // ---- results -----------------------------------------------------------------------------

    /** One measured step. {@code bytes} is what its MiB/s is computed from; 0 for none. */
    record Step(String name, boolean ok, double wallSeconds, double cpuSeconds, double sysSeconds, double gcSeconds,
            long bytes, long peakHeapBytes, String detail) {
        double mibPerSecond() {
            return bytes > 0 && wallSeconds > 0 ? bytes / MIB / wallSeconds : Double.NaN;
        }
    }

    /** What a step's body reports back. */
    record Outcome(boolean ok, long bytes, String detail) {}

    /** The comparison of the restored tree with the source. */
    record Comparison(boolean identical, long files, long bytes, long directories, long symlinks,
            List<String> differences, double seconds) {}

    record Run(int number, List<Step> steps, Comparison comparison, long repositoryBytes, long peakRssBytes) {
        boolean ok() {
            return comparison.identical() && steps.stream().allMatch(Step::ok);
        }
    }

    @FunctionalInterface
    interface Body {
        Outcome run() throws IOException;
    }

    // ---- the benchmark -----------------------------------------------------------------------

    int runAll() throws IOException {
        Path data = opts.data();
        Path work = opts.work();
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + " is not a directory");
        }
        prepareWork(data, work);
        PrintStream table = opts.json() ? err : out;
        table.println(environment());
        List<Run> runs = new ArrayList<>();
        for (int i = 1; i <= opts.runs(); i++) {
            Run r = runOnce(i);
            runs.add(r);
            table.println();
            if (opts.runs() > 1) {
                table.println("run " + i + " of " + opts.runs() + ":");
            }
            printRun(table, r);
        }
        if (runs.size() > 1) {
            table.println();
            table.println("median of " + runs.size() + " runs:");
            printSteps(table, medians(runs));
        }
        if (opts.json()) {
            out.println(json(runs));
        }
        return runs.stream().allMatch(Run::ok) ? 0 : 1;
    }

    private Run runOnce(int number) throws IOException {
        Path repoDir = opts.work().resolve("repo");
        Path restoreDir = opts.work().resolve("restore");
        Path cacheDir = opts.work().resolve("cache");
        for (Path p : List.of(repoDir, restoreDir, cacheDir)) {
            deleteTree(p);
        }
        String prefix = opts.runs() > 1 ? "[run " + number + "/" + opts.runs() + "] " : "";
        List<Step> steps = new ArrayList<>();
        LocalBackend backend = new LocalBackend(repoDir);
        steps.add(measure(prefix, "init", () -> {
            Repository.init(backend, PASSWORD.toCharArray(), opts.kdf(), "bench@" + HOST, clock).close();
            return new Outcome(true, 0, "");
        }));
        steps.add(measure(prefix, "backup-initial", () -> backup(repoDir, cacheDir)));
        steps.add(measure(prefix, "backup-nochange", () -> backup(repoDir, cacheDir)));
        steps.add(measure(prefix, "restore", () -> restore(repoDir, restoreDir)));
        steps.add(measure(prefix, "check-read-data", () -> check(repoDir)));
        err.println(prefix + "comparing the restored tree with the source ...");
        Comparison c = compareTrees(opts.data(), restoredRoot(restoreDir, opts.data()));
        return new Run(number, steps, c, treeSize(repoDir), peakRss());
    }

    private Repository open(Path repoDir) throws IOException {
        return Repository.open(new LocalBackend(repoDir), PASSWORD.toCharArray(), clock);
    }

    private Outcome backup(Path repoDir, Path cacheDir) throws IOException {
        BackupOptions bo = new BackupOptions(List.of(opts.data()), List.of(), false, false, List.of("bench"), HOST,
                System.getProperty("user.name", ""), BackupMode.INCREMENTAL, opts.threads(), opts.level());
        try (Repository repo = open(repoDir)) {
            ParentCache cache = new ParentCache(cacheDir.resolve(repo.config().idHex()));
            BackupResult r = new Archiver(repo, bo, cache, new Progress(), clock).run();
            r.warnings().forEach(w -> err.println("  warning: " + w));
            var s = r.summary();
            return new Outcome(r.complete(), s.bytesScanned(), String.format(Locale.ROOT,
                    "%d new, %d changed, %d unmodified files; %s read, %s added",
                    s.filesNew(), s.filesChanged(), s.filesUnmodified(), mib(s.bytesRead()), mib(s.bytesAdded())));
        }
    }

    private Outcome restore(Path repoDir, Path restoreDir) throws IOException {
        try (Repository repo = open(repoDir)) {
            StoredSnapshot s = repo.findSnapshot("latest");
            RestoreResult r = new Restorer(repo, new MetadataWriter(MetadataWriter.runningAsRoot()), new Progress())
                    .restore(s, restoreDir, List.of());
            r.failures().forEach(f -> err.println("  error: " + f));
            if (!r.warnings().isEmpty()) {
                err.println("  " + r.warnings().size() + " restore warning(s), first: " + r.warnings().get(0));
            }
            return new Outcome(r.ok(), r.bytes(), String.format(Locale.ROOT, "%d files, %d dirs, %s%s",
                    r.files(), r.directories(), mib(r.bytes()),
                    r.ok() ? "" : "; " + r.failures().size() + " FAILED"));
        }
    }

    @SuppressWarnings("try") // the lock is held, not used, as by the check command
    private Outcome check(Path repoDir) throws IOException {
        try (Repository repo = open(repoDir);
                Lock lock = Lock.acquire(repo, false, "check (cairn-bench)")) {
            CheckReport r = new Checker(repo, line -> { }).check(Checker.DataSubset.ALL);
            r.problems().forEach(p -> err.println("  error: " + p.subject() + ": " + p.message()));
            return new Outcome(r.ok(), r.bytesRead(), String.format(Locale.ROOT, "%d packs, %s read%s",
                    r.packsRead(), mib(r.bytesRead()), r.ok() ? "" : "; " + r.problems().size() + " PROBLEM(S)"));
        }
    }

    // ---- measuring ---------------------------------------------------------------------------

    private Step measure(String prefix, String name, Body body) throws IOException {
        err.println(prefix + name + " ...");
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long gc0 = gcMillis();
        double sys0 = systemCpuSeconds();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        Outcome o = body.run();
        long wall = System.nanoTime() - t0;
        long cpu = processCpuNanos() - cpu0;
        double sys = systemCpuSeconds() - sys0;
        long gc = gcMillis() - gc0;
        long peakHeap = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Step(name, o.ok(), wall / 1e9, cpu0 < 0 ? Double.NaN : cpu / 1e9, sys0 < 0 ? Double.NaN : sys,
                gc / 1e3, o.bytes(), peakHeap, o.detail());
    }

    /** CPU time of the whole process, every thread included; -1 if the JVM cannot tell. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        // Fallback: live threads only (threads that ended are lost).
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            return -1;
        }
        return Arrays.stream(threads.getAllThreadIds()).map(threads::getThreadCpuTime).filter(t -> t > 0).sum();
    }

    /**
     * CPU time the kernel spent for this process (stime in /proc/self/stat, Linux; USER_HZ is 100
     * on every mainstream architecture), in seconds; -1 elsewhere. Part of the CPU time: I/O cost.
     */
    static double systemCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[12]) / 100.0; // field 15 of the whole line: stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    /**
     * The process's peak resident memory so far (VmHWM, Linux), in bytes; -1 if unknown. Not per
     * step: the JVM keeps the heap it grew, so a step's RSS mostly says what earlier steps left.
     */
    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private String environment() {
        var rt = Runtime.getRuntime();
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining("+"));
        return String.format(Locale.ROOT, "cairn end-to-end: data %s, work %s; java %s, %d cores, max heap %d MiB,"
                        + " GC %s; %d packer threads, zstd level %d, Argon2id m=%d KiB t=%d p=%d; raw file names: %s",
                opts.data(), opts.work(), System.getProperty("java.version"), rt.availableProcessors(),
                rt.maxMemory() >> 20, gcs, opts.threads(), opts.level(), opts.kdf().memoryKiB(),
                opts.kdf().iterations(), opts.kdf().parallelism(), RawNames.isRawAccessAvailable() ? "yes"
                        : "no (add --add-opens java.base/sun.nio.fs=ALL-UNNAMED for non-UTF-8 names)");
    }

    // ---- comparing trees ---------------------------------------------------------------------

    /** Where the restorer puts DATA below the target: its absolute path, recreated. */
    static Path restoredRoot(Path target, Path data) {
        Path abs = data.toAbsolutePath().normalize();
        return target.resolve(abs.getRoot().relativize(abs).toString());
    }

    private enum Type { DIRECTORY, FILE, SYMLINK, OTHER }

    private record Entry(Type type, long size, String linkTarget) {}

    /**
     * Compares two trees: the same relative paths, of the same types; files of the same size and
     * SHA-256; symlinks with the same target. Symlinks are never followed. Hashing runs on all cores.
     */
    static Comparison compareTrees(Path source, Path copy) throws IOException {
        long t0 = System.nanoTime();
        List<String> diffs = new ArrayList<>();
        if (!Files.isDirectory(copy, LinkOption.NOFOLLOW_LINKS)) {
            diffs.add("the restored tree is missing: " + copy);
            return new Comparison(false, 0, 0, 0, 0, diffs, (System.nanoTime() - t0) / 1e9);
        }
        Map<String, Entry> a = scan(source);
        Map<String, Entry> b = scan(copy);
        long files = 0;
        long bytes = 0;
        long dirs = 0;
        long links = 0;
        List<String> toHash = new ArrayList<>();
        for (Map.Entry<String, Entry> e : a.entrySet()) {
            String rel = e.getKey();
            Entry x = e.getValue();
            Entry y = b.get(rel);
            switch (x.type()) {
                case FILE -> {
                    files++;
                    bytes += x.size();
                }
                case DIRECTORY -> dirs++;
                case SYMLINK -> links++;
                default -> { }
            }
            if (y == null) {
                diffs.add("missing in the restore: " + rel);
            } else if (x.type() != y.type()) {
                diffs.add("type differs: " + rel + " (" + x.type() + " vs " + y.type() + ")");
            } else if (x.type() == Type.FILE && x.size() != y.size()) {
                diffs.add("size differs: " + rel + " (" + x.size() + " vs " + y.size() + ")");
            } else if (x.type() == Type.SYMLINK && !x.linkTarget().equals(y.linkTarget())) {
                diffs.add("symlink target differs: " + rel);
            } else if (x.type() == Type.FILE) {
                toHash.add(rel);
            }
        }
        for (String rel : b.keySet()) {
            if (!a.containsKey(rel)) {
                diffs.add("extra in the restore: " + rel);
            }
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String rel : toHash) {
                Path x = source.resolve(rel);
                Path y = copy.resolve(rel);
                results.add(pool.submit(() -> Arrays.equals(sha256(x), sha256(y)) ? null : "content differs: " + rel));
            }
            for (Future<String> f : results) {
                String d = f.get();
                if (d != null) {
                    diffs.add(d);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while comparing trees");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Comparison(diffs.isEmpty(), files, bytes, dirs, links, diffs, (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Entry> scan(Path root) throws IOException {
        Map<String, Entry> entries = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    entries.put(root.relativize(dir).toString(), new Entry(Type.DIRECTORY, 0, null));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = root.relativize(file).toString();
                if (attrs.isSymbolicLink()) {
                    entries.put(rel, new Entry(Type.SYMLINK, 0, Files.readSymbolicLink(file).toString()));
                } else if (attrs.isRegularFile()) {
                    entries.put(rel, new Entry(Type.FILE, attrs.size(), null));
                } else {
                    entries.put(rel, new Entry(Type.OTHER, 0, null));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    // ---- work folder -------------------------------------------------------------------------

    /** Creates WORK or checks that it is ours; refuses layouts where a run would touch DATA. */
    static void prepareWork(Path data, Path work) throws IOException {
        Path realData = data.toRealPath();
        Path absWork = work.toAbsolutePath().normalize();
        if (absWork.startsWith(data.toAbsolutePath().normalize()) || absWork.startsWith(realData)) {
            throw new IllegalArgumentException("--work " + work + " lies inside --data: the backup would include"
                    + " its own repository");
        }
        Files.createDirectories(work);
        Path realWork = work.toRealPath();
        if (realWork.startsWith(realData)) {
            throw new IllegalArgumentException("--work " + work + " lies inside --data: the backup would include"
                    + " its own repository");
        }
        for (String sub : List.of("repo", "restore", "cache")) {
            if (realData.startsWith(realWork.resolve(sub))) {
                throw new IllegalArgumentException("--data lies inside " + realWork.resolve(sub)
                        + ", which every run deletes");
            }
        }
        Path marker = work.resolve(MARKER);
        if (!Files.exists(marker)) {
            try (var s = Files.list(work)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("--work " + work + " is not empty and was not made by this"
                            + " benchmark (no " + MARKER + " in it); give an empty or new folder");
                }
            }
            Files.writeString(marker, "made by dev.cairn.bench.EndToEnd: repo/, restore/ and cache/ here are"
                    + " replaced on every run\n");
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                // A restored read-only folder could not be emptied otherwise.
                dir.toFile().setWritable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static long treeSize(Path root) throws IOException {
        long[] total = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.isRegularFile() ? attrs.size() : 0;
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    // ---- output ------------------------------------------------------------------------------

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }

    private static final String HEADER = String.format(Locale.ROOT, "%-16s %8s %8s %7s %8s %7s %9s  %s",
            "step", "wall s", "cpu s", "sys s", "MiB/s", "gc s", "heap MiB", "detail");

    static void printSteps(PrintStream p, List<Step> steps) {
        p.println(HEADER);
        p.println("-".repeat(HEADER.length() + 30));
        for (Step s : steps) {
            p.println(String.format(Locale.ROOT, "%-16s %8.2f %8s %7s %8s %7.2f %9d  %s%s", s.name(),
                    s.wallSeconds(), fixed(s.cpuSeconds(), 2), fixed(s.sysSeconds(), 2), fixed(s.mibPerSecond(), 1),
                    s.gcSeconds(), s.peakHeapBytes() >> 20, s.ok() ? "" : "FAILED: ", s.detail()));
        }
    }

    private static String fixed(double d, int decimals) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", d);
    }

    private void printRun(PrintStream p, Run r) {
        printSteps(p, r.steps());
        Comparison c = r.comparison();
        p.println(String.format(Locale.ROOT, "restore identical: %s (%d files, %s, %d dirs, %d symlinks compared"
                        + " in %.1f s)", c.identical() ? "yes" : "no", c.files(), mib(c.bytes()), c.directories(),
                c.symlinks(), c.seconds()));
        c.differences().stream().limit(20).forEach(d -> p.println("  " + d));
        if (c.differences().size() > 20) {
            p.println("  ... and " + (c.differences().size() - 20) + " more differences");
        }
        p.println("repository size: " + mib(r.repositoryBytes()) + (r.peakRssBytes() < 0 ? ""
                : "; peak RSS of this JVM so far: " + (r.peakRssBytes() >> 20) + " MiB"));
    }

    /** Per step, the median of every figure over the runs. */
    static List<Step> medians(List<Run> runs) {
        List<Step> out = new ArrayList<>();
        List<Step> first = runs.get(0).steps();
        for (int i = 0; i < first.size(); i++) {
            int k = i;
            List<Step> all = runs.stream().map(r -> r.steps().get(k)).toList();
            out.add(new Step(first.get(i).name(), all.stream().allMatch(Step::ok),
                    median(all.stream().mapToDouble(Step::wallSeconds).toArray()),
                    median(all.stream().mapToDouble(Step::cpuSeconds).toArray()),
                    median(all.stream().mapToDouble(Step::sysSeconds).toArray()),
                    median(all.stream().mapToDouble(Step::gcSeconds).toArray()),
                    (long) median(all.stream().mapToDouble(Step::bytes).toArray()),
                    (long) median(all.stream().mapToDouble(Step::peakHeapBytes).toArray()),
                    runs.size() + " runs"));
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private String json(List<Run> runs) {
        StringBuilder b = new StringBuilder();
        b.append("{\"data\":").append(quote(opts.data().toString()))
                .append(",\"work\":").append(quote(opts.work().toString()))
                .append(",\"java\":").append(quote(System.getProperty("java.version")))
                .append(",\"cores\":").append(Runtime.getRuntime().availableProcessors())
                .append(",\"max_heap_mib\":").append(Runtime.getRuntime().maxMemory() >> 20)
                .append(",\"threads\":").append(opts.threads())
                .append(",\"compression\":").append(opts.level())
                .append(",\"ok\":").append(runs.stream().allMatch(Run::ok))
                .append(",\"runs\":[");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            Comparison c = r.comparison();
            b.append(i == 0 ? "" : ",").append("{\"run\":").append(r.number()).append(",\"steps\":");
            stepsJson(b, r.steps());
            b.append(",\"restore_identical\":").append(c.identical())
                    .append(",\"compared_files\":").append(c.files())
                    .append(",\"compared_bytes\":").append(c.bytes())
                    .append(",\"compare_s\":").append(num(c.seconds()))
                    .append(",\"differences\":[")
                    .append(c.differences().stream().limit(100).map(EndToEnd::quote).collect(Collectors.joining(",")))
                    .append("],\"repository_bytes\":").append(r.repositoryBytes())
                    .append(",\"process_peak_rss_bytes\":").append(r.peakRssBytes() < 0 ? "null" : "" + r.peakRssBytes())
                    .append('}');
        }
        b.append(']');
        if (runs.size() > 1) {
            b.append(",\"median\":");
            stepsJson(b, medians(runs));
        }
        return b.append('}').toString();
    }

    private static void stepsJson(StringBuilder b, List<Step> steps) {
        b.append('[');
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            b.append(i == 0 ? "" : ",").append("{\"step\":").append(quote(s.name()))
                    .append(",\"ok\":").append(s.ok())
                    .append(",\"wall_s\":").append(num(s.wallSeconds()))
                    .append(",\"cpu_s\":").append(num(s.cpuSeconds()))
                    .append(",\"sys_s\":").append(num(s.sysSeconds()))
                    .append(",\"gc_s\":").append(num(s.gcSeconds()))
                    .append(",\"bytes\":").append(s.bytes())
                    .append(",\"mib_per_s\":").append(num(s.mibPerSecond()))
                    .append(",\"peak_heap_bytes\":").append(s.peakHeapBytes())
                    .append(",\"detail\":").append(quote(s.detail())).append('}');
        }
        b.append(']');
    }

    private static String num(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? "null" : String.format(Locale.ROOT, "%.3f", d);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
