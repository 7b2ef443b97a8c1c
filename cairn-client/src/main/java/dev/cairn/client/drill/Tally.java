package dev.cairn.client.drill;

import dev.cairn.format.Id;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The drill's running counts; becomes a {@link DrillResult} at the end. */
final class Tally {
    private final List<Mismatch> mismatches = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long files;
    private long bytes;
    private long compared;
    private long changed;
    private long gone;

    void tested(long size) {
        files++;
        bytes += size;
    }

    void mismatch(SampledFile f, Mismatch.Kind kind, String detail) {
        mismatch(f.path(), kind, detail);
    }

    void mismatch(String path, Mismatch.Kind kind, String detail) {
        mismatches.add(new Mismatch(path, kind, detail));
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    void compared() {
        compared++;
    }

    void changed() {
        changed++;
    }

    void gone() {
        gone++;
    }

    DrillResult result(Id snapshot, long seed, Duration duration) {
        List<Mismatch> sorted = new ArrayList<>(mismatches);
        sorted.sort(Comparator.comparing(Mismatch::path));
        return new DrillResult(snapshot, seed, files, bytes, duration, sorted, compared, changed, gone, warnings);
    }
}
