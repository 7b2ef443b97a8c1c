package dev.cairn.cli;

import dev.cairn.repository.CheckReport;
import dev.cairn.repository.Checker;
import dev.cairn.repository.Lock;
import dev.cairn.repository.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "check", description = {
        "Verify the repository's structure: index, packs, snapshots and trees.",
        "With --read-data, also read every pack and verify every byte (--read-data-subset: part of them);"
                + " damaged packs are named with the snapshots and files they affect. Exit code 1 when anything is wrong."})
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    Cairn cairn;

    @Option(names = "--read-data", description = "Read and verify all stored data (slow: reads everything).")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "N/M|N%",
            description = "Read and verify part of the data: N/M reads group N of M (run 1/7 ... 7/7 on"
                    + " successive days to cover everything), N%% a random N percent of the packs.")
    String subset;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cairn.open();
                Lock lock = Lock.acquire(repo, false, "check (pid " + ProcessHandle.current().pid() + ")")) {
            CheckReport r = new Checker(repo, line -> {
                if (!json) {
                    cairn.info(line);
                }
            }).check(dataSubset());
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ok", r.ok());
                m.put("snapshots", r.snapshots());
                m.put("packs", r.packs());
                m.put("orphan_packs", r.orphanPacks());
                m.put("dangling_index_entries", r.danglingEntries());
                m.put("dangling_packs", r.danglingPacks());
                m.put("notes", r.notes());
                m.put("packs_read", r.packsRead());
                m.put("bytes_read", r.bytesRead());
                m.put("problems", r.problems().stream().map(p -> Map.of("subject", p.subject(), "message", p.message())).toList());
                m.put("affected_files", r.affectedFiles());
                cairn.out.println(Json.write(m));
            } else {
                print(r, repo.canRead());
            }
            return r.ok() ? Cairn.OK : Cairn.ERROR;
        }
    }

    private Checker.DataSubset dataSubset() {
        if (subset == null) {
            return readData ? Checker.DataSubset.ALL : Checker.DataSubset.NONE;
        }
        if (readData) {
            throw new Cairn.UserError("give either --read-data or --read-data-subset, not both");
        }
        try {
            return Checker.DataSubset.parse(subset);
        } catch (IllegalArgumentException e) {
            throw new Cairn.UserError(e.getMessage());
        }
    }

    private void print(CheckReport r, boolean canRead) {
        for (CheckReport.Problem p : r.problems()) {
            cairn.err.println("error: " + p.subject() + ": " + p.message());
        }
        for (Map.Entry<String, List<String>> e : r.affectedFiles().entrySet()) {
            cairn.err.println("snapshot " + e.getKey().substring(0, 8) + " has damaged files:");
            e.getValue().forEach(f -> cairn.err.println("  " + f));
        }
        if (r.orphanPacks() > 0) {
            cairn.info(r.orphanPacks() + " pack(s) are not indexed yet (left by an interrupted backup);"
                    + " the next backup adopts them");
        }
        r.notes().forEach(cairn::info);
        if (!canRead) {
            cairn.info("note: this key is write-only, so snapshots and file contents were not checked");
        }
        cairn.info(r.ok() ? String.format("no errors found: %d snapshots, %d packs%s", r.snapshots(), r.packs(),
                        r.packsRead() > 0 ? ", " + Units.bytes(r.bytesRead()) + " read and verified" : "")
                : r.problems().size() + " error(s) found; restore what you can and run a new backup"
                        + " (see the README's 'When check finds damage')");
    }
}
