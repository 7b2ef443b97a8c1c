package dev.cairn.client.drill;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a restore drill samples and what it compares.
 *
 * @param files at most this many files are tested (at least 1)
 * @param maxBytes at most this many bytes of file content are tested in total; {@link Long#MAX_VALUE}
 *     for no cap. A file larger than what is left of the budget is passed over for the next one in
 *     random order, so a cap never makes the drill read more than it
 * @param seed seeds the sampling: the same seed on the same snapshot tests the same files
 * @param tempParent an existing folder in which the drill makes (and always removes) its own
 *     temporary folder
 * @param compareSource whether to compare restored files with their sources on this machine
 */
public record DrillOptions(int files, long maxBytes, long seed, Path tempParent, boolean compareSource) {
    public DrillOptions {
        if (files < 1) {
            throw new IllegalArgumentException("a drill tests at least one file, not " + files);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the byte cap must not be negative: " + maxBytes);
        }
        Objects.requireNonNull(tempParent, "tempParent");
    }
}
