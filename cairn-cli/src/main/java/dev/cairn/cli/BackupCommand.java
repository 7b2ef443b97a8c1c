package dev.cairn.cli;

import dev.cairn.client.backup.BackupOptions;
import dev.cairn.client.backup.BackupResult;
import dev.cairn.client.backup.Progress;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.repository.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup", description = {
        "Back up files and directories into a new snapshot.",
        "Only new data is stored; unchanged files (same size, mtime, ctime, inode as in the parent snapshot)"
                + " are not even read in incremental mode. Every snapshot restores on its own."})
final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    Cairn cairn;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to back up.")
    List<Path> paths;

    @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB",
            description = "Leave out matching entries: a pattern without '/' matches names at any depth (*.tmp),"
                    + " one with '/' matches absolute paths (/home/*/.cache). Repeatable.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--exclude-file", paramLabel = "FILE", description = "Read exclude patterns from FILE, one per line.")
    List<Path> excludeFiles = new ArrayList<>();

    @Option(names = "--exclude-caches", description = "Skip the contents of directories with a CACHEDIR.TAG file.")
    boolean excludeCaches;

    @Option(names = {"-x", "--one-file-system"}, description = "Do not cross into other file systems.")
    boolean oneFileSystem;

    @Option(names = "--tag", paramLabel = "TAG", description = "Label the snapshot. Repeatable.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--host", paramLabel = "NAME", description = "Host name to record (default: this machine's).")
    String host;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "incremental",
            description = "incremental (default): skip unchanged files; full: read every file;"
                    + " differential: compare with the latest full snapshot.")
    String mode;

    @Option(names = "--compression", paramLabel = "LEVEL", defaultValue = "" + Compression.DEFAULT_LEVEL,
            description = "zstd level, 1-19 (default ${DEFAULT-VALUE}); 0 stores data uncompressed.")
    int level;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        BackupMode m = switch (mode.toLowerCase()) {
            case "incremental" -> BackupMode.INCREMENTAL;
            case "full" -> BackupMode.FULL;
            case "differential" -> BackupMode.DIFFERENTIAL;
            default -> throw new Cairn.UserError("unknown mode '" + mode + "': use incremental, full or differential");
        };
        List<String> patterns = new ArrayList<>(excludes);
        for (Path f : excludeFiles) {
            patterns.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        String h = host != null ? host : cairn.places.hostname();
        BackupOptions opts = Backups.options(paths, patterns, excludeCaches, oneFileSystem, tags, h, m, level);
        try (Repository repo = cairn.open()) {
            boolean showBar = cairn.terminal && !json && !cairn.quiet;
            Progress progress = new Progress(showBar);
            BackupResult r;
            try (ProgressBar bar = ProgressBar.start(progress, cairn.err, cairn.clock, "backup", showBar)) {
                r = Backups.run(repo, opts, cairn.places, progress, cairn.clock);
            }
            r.warnings().forEach(w -> cairn.err.println("warning: " + w));
            print(r);
            return r.complete() ? Cairn.OK : Cairn.PARTIAL;
        }
    }

    private void print(BackupResult r) {
        var s = r.summary();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshot", r.snapshot().hex());
            m.put("parent", r.parent() == null ? null : r.parent().hex());
            m.put("files_new", s.filesNew());
            m.put("files_changed", s.filesChanged());
            m.put("files_unmodified", s.filesUnmodified());
            m.put("directories", s.directories());
            m.put("bytes_scanned", s.bytesScanned());
            m.put("bytes_read", s.bytesRead());
            m.put("blobs_added", s.blobsAdded());
            m.put("bytes_added", s.bytesAdded());
            m.put("duration_ms", r.durationMillis());
            m.put("unreadable", r.unreadable());
            m.put("changed_during_backup", r.changedDuringBackup());
            m.put("complete", r.complete());
            cairn.out.println(Json.write(m));
            return;
        }
        cairn.info(String.format("snapshot %s saved: %d new, %d changed, %d unmodified files, %d dirs;"
                        + " %s scanned, %s read, %s added in %s%s",
                r.snapshot().shortHex(), s.filesNew(), s.filesChanged(), s.filesUnmodified(), s.directories(),
                Units.bytes(s.bytesScanned()), Units.bytes(s.bytesRead()), Units.bytes(s.bytesAdded()),
                Units.duration(r.durationMillis()),
                r.complete() ? "" : "; " + r.unreadable().size() + " file(s) could not be read"));
    }
}
