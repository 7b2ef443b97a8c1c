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
 */
public record CheckReport(
        List<Problem> problems,
        int snapshots,
        int packs,
        int orphanPacks,
        int packsRead,
        long bytesRead,
        Map<String, List<String>> affectedFiles) {

    /** One problem: what it concerns, and what is wrong. */
    public record Problem(String subject, String message) {}

    public boolean ok() {
        return problems.isEmpty();
    }
}
