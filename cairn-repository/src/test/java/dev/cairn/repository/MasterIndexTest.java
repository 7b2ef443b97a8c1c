package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import dev.cairn.format.index.IndexFile;
import dev.cairn.format.pack.BlobEntry;
import dev.cairn.format.pack.BlobType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The master index's rules for blobs stored more than once, on top of its compact table. */
class MasterIndexTest {
    private final SplittableRandom random = new SplittableRandom(7);

    private Id randomId() {
        byte[] b = new byte[Id.LENGTH];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return Id.of(b);
    }

    private static IndexFile file(Id pack, BlobEntry... blobs) {
        return new IndexFile(List.of(new IndexFile.PackEntry(pack, 1000, List.of(blobs))), List.of());
    }

    @Test
    void theFirstLocationWinsAndTheOtherIsRemembered() {
        MasterIndex index = new MasterIndex();
        Id p1 = randomId();
        Id p2 = randomId();
        Id blob = randomId();
        BlobEntry e1 = new BlobEntry(BlobType.DATA, blob, 100, 10, 20);
        BlobEntry e2 = new BlobEntry(BlobType.DATA, blob, 200, 10, 20);
        Id indexFile = randomId();

        index.add(indexFile, file(p1, e1));
        index.add(null, file(p2, e2));
        index.add(null, file(p1, e1));

        assertThat(index.lookup(blob)).isEqualTo(new BlobLocation(p1, e1));
        assertThat(index.locations(blob)).containsExactly(new BlobLocation(p1, e1), new BlobLocation(p2, e2));
        assertThat(index.contains(blob)).isTrue();
        assertThat(index.blobCount()).isEqualTo(1);
        assertThat(index.packs()).isEqualTo(Map.of(p1, 1000L, p2, 1000L));
        assertThat(index.hasPack(p2)).isTrue();
        assertThat(index.indexFiles()).containsExactly(indexFile);
        assertThat(index.locations(randomId())).isEmpty();
        assertThat(index.lookup(randomId())).isNull();
    }

    @Test
    void aLocationInACondemnedPackGivesWayToALiveOne() {
        MasterIndex index = new MasterIndex();
        Id going = randomId();
        Id staying = randomId();
        Id blob = randomId();
        Id onlyGoing = randomId();
        BlobEntry old = new BlobEntry(BlobType.TREE, blob, 100, 10, 20);
        BlobEntry copy = new BlobEntry(BlobType.TREE, blob, 300, 10, 20);
        BlobEntry lone = new BlobEntry(BlobType.DATA, onlyGoing, 500, 10, 20);
        index.condemn(Set.of(going));

        index.add(null, file(going, old, lone));
        assertThat(index.lookup(blob)).isEqualTo(new BlobLocation(going, old));
        assertThat(index.contains(blob)).isFalse();
        index.add(null, file(staying, copy));

        assertThat(index.lookup(blob)).isEqualTo(new BlobLocation(staying, copy));
        assertThat(index.locations(blob)).containsExactly(new BlobLocation(staying, copy), new BlobLocation(going, old));
        assertThat(index.contains(blob)).isTrue();
        assertThat(index.contains(onlyGoing)).isFalse();
        assertThat(index.lookup(onlyGoing)).isEqualTo(new BlobLocation(going, lone));
        assertThat(index.condemned()).containsExactly(going);
    }

    @Test
    void forEachVisitsEveryBlobAtItsResolvedLocation() {
        MasterIndex index = new MasterIndex();
        Map<Id, BlobLocation> expected = new HashMap<>();
        for (int p = 0; p < 50; p++) {
            Id pack = randomId();
            BlobEntry[] blobs = new BlobEntry[40];
            for (int i = 0; i < blobs.length; i++) {
                blobs[i] = new BlobEntry(BlobType.DATA, randomId(), 96 + 1000L * i, 1000, 2000);
                expected.put(blobs[i].id(), new BlobLocation(pack, blobs[i]));
            }
            index.add(null, file(pack, blobs));
        }
        Map<Id, BlobLocation> seen = new HashMap<>();
        index.forEach((id, loc) -> {
            assertThat(seen.put(id, loc)).isNull();
            assertThat(index.locations(id)).containsExactly(loc);
        });
        assertThat(seen).isEqualTo(expected);
        assertThat(index.blobCount()).isEqualTo(expected.size());
    }

    @Test
    void dropPacks_blobOnlyInDroppedPack_isNotFoundButItsPackIsNamed() {
        MasterIndex index = new MasterIndex();
        Id gone = randomId();
        Id kept = randomId();
        Id lost = randomId();
        Id safe = randomId();
        BlobEntry lostEntry = new BlobEntry(BlobType.DATA, lost, 100, 10, 20);
        BlobEntry safeEntry = new BlobEntry(BlobType.DATA, safe, 100, 10, 20);
        index.add(null, file(gone, lostEntry));
        index.add(null, file(kept, safeEntry));

        index.dropPacks(Set.of(gone));

        assertThat(index.lookup(lost)).isNull();
        assertThat(index.contains(lost)).isFalse();
        assertThat(index.locations(lost)).isEmpty();
        assertThat(index.lostPack(lost)).isEqualTo(gone);
        assertThat(index.hasPack(gone)).isFalse();
        assertThat(index.packs()).containsOnlyKeys(kept);
        assertThat(index.dropped()).containsExactly(gone);
        assertThat(index.lookup(safe)).isEqualTo(new BlobLocation(kept, safeEntry));
        assertThat(index.contains(safe)).isTrue();
        assertThat(index.lostPack(safe)).isNull();
        Map<Id, BlobLocation> seen = new HashMap<>();
        index.forEach(seen::put);
        assertThat(seen).containsOnlyKeys(safe);
    }

    @Test
    void dropPacks_blobAlsoInALivePack_resolvesToTheLiveCopy() {
        MasterIndex index = new MasterIndex();
        Id gone = randomId();
        Id kept = randomId();
        Id blob = randomId();
        BlobEntry first = new BlobEntry(BlobType.TREE, blob, 100, 10, 20);
        BlobEntry copy = new BlobEntry(BlobType.TREE, blob, 300, 10, 20);
        index.add(null, file(gone, first));
        index.add(null, file(kept, copy));
        assertThat(index.lookup(blob)).isEqualTo(new BlobLocation(gone, first));

        index.dropPacks(Set.of(gone));

        assertThat(index.lookup(blob)).isEqualTo(new BlobLocation(kept, copy));
        assertThat(index.locations(blob)).containsExactly(new BlobLocation(kept, copy));
        assertThat(index.contains(blob)).isTrue();
        assertThat(index.lostPack(blob)).isNull();
        index.forEach((id, loc) -> assertThat(loc).isEqualTo(new BlobLocation(kept, copy)));
    }

    @Test
    void dropPacks_blobStoredAgain_newLocationWins() {
        MasterIndex index = new MasterIndex();
        Id gone = randomId();
        Id fresh = randomId();
        Id blob = randomId();
        BlobEntry old = new BlobEntry(BlobType.DATA, blob, 100, 10, 20);
        BlobEntry again = new BlobEntry(BlobType.DATA, blob, 900, 10, 20);
        index.add(null, file(gone, old));
        index.dropPacks(Set.of(gone));

        index.add(null, file(fresh, again));

        assertThat(index.lookup(blob)).isEqualTo(new BlobLocation(fresh, again));
        assertThat(index.locations(blob)).containsExactly(new BlobLocation(fresh, again));
        assertThat(index.contains(blob)).isTrue();
    }

    @Test
    void dropPacks_packNamedAgainByALaterIndexFile_isLiveAgain() {
        MasterIndex index = new MasterIndex();
        Id pack = randomId();
        Id blob = randomId();
        BlobEntry e = new BlobEntry(BlobType.DATA, blob, 100, 10, 20);
        index.add(null, file(pack, e));
        index.dropPacks(Set.of(pack));

        index.add(null, file(pack, e));

        assertThat(index.lookup(blob)).isEqualTo(new BlobLocation(pack, e));
        assertThat(index.hasPack(pack)).isTrue();
        assertThat(index.dropped()).isEmpty();
    }

    @Test
    void dropPacks_unknownPack_isIgnored() {
        MasterIndex index = new MasterIndex();

        index.dropPacks(Set.of(randomId()));

        assertThat(index.dropped()).isEmpty();
    }
}
