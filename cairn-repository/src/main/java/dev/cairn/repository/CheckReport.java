package dev.cairn.repository;

import java.util.List;
import java.util.Map;

/**
 * What {@link Checker} found.
 *
 * @param problems every problem, each naming the file or path it concerns
 * @param snapshots snapshots checked
 * @param packs packs stored
 * @param orphanPacks packs no index names (left by an interrupted backup; the next backup adopts them)
 * @param packsRead packs whose bytes were read and verified
 * @param bytesRead bytes read for that
 * @param affectedFiles per snapshot id, the files whose content lies in a damaged pack
 * @param danglingEntries index entries naming packs that are no longer stored and that no snapshot
 *     needs (a server collection removed them, or a prune was interrupted); not an error
 * @param danglingPacks how many packs those entries name
 */
public record CheckReport(
        List<Problem> problems,
        int snapshots,
        int packs,
        int orphanPacks,
        int packsRead,
        long bytesRead,
        Map<String, List<String>> affectedFiles,
        int danglingEntries,
        int danglingPacks) {

    /** One problem: what it concerns, and what is wrong. */
    public record Problem(String subject, String message) {}

    public boolean ok() {
        return problems.isEmpty();
    }

    /** What a person should know that is not an error, one line each. */
    public List<String> notes() {
        if (danglingPacks == 0) {
            return List.of();
        }
        return List.of(danglingEntries + " index entries name " + danglingPacks + " packs that are no longer stored"
                + " (removed by a server collection or an interrupted prune); the next prune drops them");
    }
}
