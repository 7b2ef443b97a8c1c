package dev.cairn.client.drill;

import dev.cairn.format.Id;
import java.time.Duration;
import java.util.List;

/**
 * What a restore drill found.
 *
 * @param snapshot the snapshot drilled
 * @param seed the sampling seed; passing it again repeats the drill on the same files
 * @param filesTested files sampled and restored (damaged ones included)
 * @param bytesTested their total size as the snapshot records it
 * @param duration how long the drill took, by the drill's clock
 * @param mismatches every file, or directory listing (path ending in {@code /}), found wrong; in
 *     path order
 * @param sourcesCompared restored files compared byte for byte with an unchanged source
 * @param sourcesChanged sources whose size, modification time or type changed since the
 *     snapshot: not compared, and not a failure
 * @param sourcesGone sources no longer on this machine: not compared, and not a failure
 * @param warnings sources that could not be read for comparison (not a failure)
 */
public record DrillResult(
        Id snapshot,
        long seed,
        long filesTested,
        long bytesTested,
        Duration duration,
        List<Mismatch> mismatches,
        long sourcesCompared,
        long sourcesChanged,
        long sourcesGone,
        List<String> warnings) {

    public DrillResult {
        mismatches = List.copyOf(mismatches);
        warnings = List.copyOf(warnings);
    }

    /** The verdict: true when no mismatch of any kind was found. */
    public boolean passed() {
        return mismatches.isEmpty();
    }
}
