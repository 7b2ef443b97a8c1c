package dev.cairn.repository;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deletion marks: packs prune found unreferenced while a backup was running, with the time it
 * first found them so. A marked pack is not reused by new backups and is deleted by a later
 * prune once the grace period has passed and it is still unreferenced. Marks hold only pack
 * names and times, nothing secret; a forged mark can at worst make backups store a blob again.
 */
final class Marks {
    private static final int MAX = 1 << 24;

    private Marks() {}

    /** Every marked pack with the earliest time it was marked. A damaged marks file is ignored. */
    static Map<Id, Long> load(Repository repo) throws IOException {
        Map<Id, Long> out = new TreeMap<>();
        for (FileInfo f : repo.backend().list(FileKind.MARK)) {
            try {
                decode(repo.backend().readAll(f.handle()), f.handle().toString())
                        .forEach((pack, time) -> out.merge(pack, time, Math::min));
            } catch (NoSuchFileException | CorruptDataException | dev.cairn.format.UnsupportedVersionException e) {
                // Replaced meanwhile, damaged, or from a newer Cairn: marks are advisory, and prune
                // recomputes what is safe to delete itself, so ignoring one only costs re-uploads.
            }
        }
        return out;
    }

    /** Stores the given marks as one new file, then deletes every older marks file. */
    static void replace(Repository repo, Map<Id, Long> marks) throws IOException {
        List<FileInfo> old = repo.backend().list(FileKind.MARK);
        Handle fresh = null;
        if (!marks.isEmpty()) {
            byte[] file = encode(marks);
            fresh = Handle.of(FileKind.MARK, Id.sha256(file, 0, file.length).hex());
            if (!repo.backend().exists(fresh)) {
                repo.backend().put(fresh, Payload.of(file));
            }
        }
        for (FileInfo f : old) {
            if (!f.handle().equals(fresh)) {
                try {
                    repo.backend().delete(f.handle());
                } catch (NoSuchFileException alreadyGone) {
                    // Another prune replaced it first.
                }
            }
        }
    }

    static byte[] encode(Map<Id, Long> marks) {
        ByteWriter w = Framing.header(new ByteWriter(16 + marks.size() * 40), FileType.MARKS).varint(marks.size());
        new TreeMap<>(marks).forEach((pack, time) -> w.id(pack).u64(time));
        return Framing.finish(w);
    }

    static Map<Id, Long> decode(byte[] file, String name) throws IOException {
        Framing.verify(file, FileType.MARKS, name);
        ByteReader r = new ByteReader(file, Framing.HEADER_LENGTH,
                file.length - Framing.HEADER_LENGTH - Framing.FOOTER_LENGTH, name);
        int n = r.count(MAX);
        Map<Id, Long> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            out.put(r.id(), r.u64());
        }
        r.expectEnd();
        return out;
    }
}
