package dev.cairn.cli;

import dev.cairn.client.backup.Progress;
import dev.cairn.client.fs.MetadataWriter;
import dev.cairn.client.restore.RestoreResult;
import dev.cairn.client.restore.Restorer;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
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

@Command(name = "restore", description = {
        "Restore a snapshot, or parts of it, below a target folder.",
        "Absolute paths are recreated under the target: /home/me/doc.txt lands in TARGET/home/me/doc.txt.",
        "Every byte is verified against the snapshot as it is written. Running it again after an"
                + " interruption skips files that are already complete and correct."})
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    Cairn cairn;

    @Parameters(paramLabel = "SNAPSHOT", description = "Snapshot id (or unique prefix), or 'latest'.")
    String snapshot;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR", description = "Where to restore to.")
    Path target;

    @Option(names = {"-i", "--include"}, paramLabel = "PATTERN",
            description = "Restore only matching paths and what is below them, e.g. /home/me/docs or"
                    + " '/home/me/**.pdf'. Repeatable.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cairn.open()) {
            StoredSnapshot s = repo.findSnapshot(snapshot);
            Progress progress = new Progress();
            if (includes.isEmpty()) {
                var sum = s.snapshot().summary();
                progress.setTotals(sum.filesNew() + sum.filesChanged() + sum.filesUnmodified(), sum.bytesScanned());
            }
            RestoreResult r;
            long start = cairn.clock.millis();
            try (ProgressBar bar = ProgressBar.start(progress, cairn.err, cairn.clock, "restore",
                    cairn.terminal && !json && !cairn.quiet)) {
                r = new Restorer(repo, new MetadataWriter(MetadataWriter.runningAsRoot()), progress)
                        .restore(s, target, includes);
            }
            r.warnings().forEach(w -> cairn.err.println("warning: " + w));
            r.failures().forEach(f -> cairn.err.println("error: " + f));
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("snapshot", s.id().hex());
                m.put("files", r.files());
                m.put("already_complete", r.alreadyComplete());
                m.put("directories", r.directories());
                m.put("bytes", r.bytes());
                m.put("failures", r.failures());
                m.put("warnings", r.warnings());
                cairn.out.println(Json.write(m));
            } else {
                cairn.info(String.format("restored snapshot %s to %s: %d files (%d already complete), %d dirs,"
                                + " %s in %s%s", s.id().shortHex(), target, r.files(), r.alreadyComplete(),
                        r.directories(), Units.bytes(r.bytes()), Units.duration(cairn.clock.millis() - start),
                        r.ok() ? "" : "; " + r.failures().size() + " file(s) could NOT be restored"));
            }
            return r.ok() ? Cairn.OK : Cairn.ERROR;
        }
    }
}
