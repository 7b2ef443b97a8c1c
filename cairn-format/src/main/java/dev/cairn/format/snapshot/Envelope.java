package dev.cairn.format.snapshot;

import dev.cairn.format.Id;
import java.util.List;

/**
 * The part of a snapshot anyone holding the repository can read, the server included: enough to
 * apply a retention policy and to know which packs are still needed, and nothing about content.
 *
 * @param timeMillis when the backup started, milliseconds since the epoch
 * @param host the client that made it
 * @param group keyed hash of host and backed-up paths; snapshots of the same source share it
 * @param mode how files were judged unchanged
 * @param packs every pack holding a blob the snapshot references, sorted, each once
 */
public record Envelope(long timeMillis, String host, Id group, BackupMode mode, List<Id> packs) {
    public Envelope {
        packs = List.copyOf(packs);
    }
}
