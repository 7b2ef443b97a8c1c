package dev.cairn.repository;

import static dev.cairn.repository.Fixtures.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.crypto.KeySlot;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeySlotTest {
    private static final char[] ALICE = "alice's password".toCharArray();
    private static final char[] WRITER = "ci writer password".toCharArray();

    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend backend = new MemoryBackend();
    private Repository repo;

    @BeforeEach
    void setUp() throws Exception {
        repo = Fixtures.init(backend, clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        repo.close();
    }

    private String add(KeySlot.Kind kind, char[] password, String label) throws Exception {
        clock.advance(Duration.ofMinutes(1));
        return repo.addKeySlot(kind, password, TestKdf.CHEAP, label);
    }

    @Test
    void keySlots_afterAddingFullAndWriteOnly_listsAllOldestFirstWithCurrentMarked() throws Exception {
        String initial = repo.currentKeySlot();
        String alice = add(KeySlot.Kind.FULL, ALICE, "alice@desk");
        String writer = add(KeySlot.Kind.WRITE_ONLY, WRITER, "ci@build");

        List<KeyInfo> slots = repo.keySlots();

        assertThat(slots).extracting(KeyInfo::name).containsExactly(initial, alice, writer);
        assertThat(slots).extracting(KeyInfo::kind)
                .containsExactly(KeySlot.Kind.FULL, KeySlot.Kind.FULL, KeySlot.Kind.WRITE_ONLY);
        assertThat(slots).extracting(KeyInfo::label).containsExactly("test@laptop", "alice@desk", "ci@build");
        assertThat(slots).extracting(KeyInfo::current).containsExactly(true, false, false);
        assertThat(slots).extracting(KeyInfo::kdf).containsOnly(TestKdf.CHEAP);
        assertThat(slots.get(1).createdMillis()).isEqualTo(Fixtures.START.plus(Duration.ofMinutes(1)).toEpochMilli());
    }

    @Test
    void open_withEachSlotPassword_opensWithThatSlotAndItsRights() throws Exception {
        String alice = add(KeySlot.Kind.FULL, ALICE, "alice@desk");
        String writer = add(KeySlot.Kind.WRITE_ONLY, WRITER, "ci@build");

        try (Repository r = Repository.open(backend, ALICE, clock)) {
            assertThat(r.currentKeySlot()).isEqualTo(alice);
            assertThat(r.canRead()).isTrue();
            assertThat(r.keySlots()).filteredOn(KeyInfo::current).extracting(KeyInfo::name).containsExactly(alice);
        }
        try (Repository r = Repository.open(backend, WRITER, clock)) {
            assertThat(r.currentKeySlot()).isEqualTo(writer);
            assertThat(r.canRead()).isFalse();
        }
        try (Repository r = Repository.open(backend, PASSWORD, clock)) {
            assertThat(r.currentKeySlot()).isEqualTo(repo.currentKeySlot());
            assertThat(r.canRead()).isTrue();
        }
    }

    @Test
    void changePassword_replacesSlotAndOnlyNewPasswordOpens() throws Exception {
        String old = repo.currentKeySlot();
        char[] fresh = "a much better password".toCharArray();

        String created = repo.changePassword(fresh, TestKdf.CHEAP, "test@laptop");

        assertThat(created).isNotEqualTo(old);
        assertThat(backend.list(FileKind.KEY)).extracting(f -> f.handle().name()).containsExactly(created);
        assertThatThrownBy(() -> Repository.open(backend, PASSWORD, clock))
                .isInstanceOf(RepositoryException.WrongPassword.class);
        try (Repository r = Repository.open(backend, fresh, clock)) {
            assertThat(r.currentKeySlot()).isEqualTo(created);
            assertThat(r.canRead()).isTrue();
        }
    }

    @Test
    void changePassword_sameSession_marksNewSlotCurrent() throws Exception {
        String created = repo.changePassword("second".toCharArray(), TestKdf.CHEAP, "test@laptop");

        assertThat(repo.currentKeySlot()).isEqualTo(created);
        assertThat(repo.keySlots()).filteredOn(KeyInfo::current).extracting(KeyInfo::name).containsExactly(created);

        // A second change in the same session must find the slot in use.
        String again = repo.changePassword("third".toCharArray(), TestKdf.CHEAP, "test@laptop");
        assertThat(backend.list(FileKind.KEY)).extracting(f -> f.handle().name()).containsExactly(again);
        assertThatThrownBy(() -> repo.removeKeySlot(again))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("the key you are using");
    }

    @Test
    void changePassword_writeOnlyKey_staysWriteOnly() throws Exception {
        add(KeySlot.Kind.WRITE_ONLY, WRITER, "ci@build");
        char[] fresh = "new writer password".toCharArray();
        try (Repository writer = Repository.open(backend, WRITER, clock)) {
            writer.changePassword(fresh, TestKdf.CHEAP, "ci@build");
        }

        try (Repository r = Repository.open(backend, fresh, clock)) {
            assertThat(r.canRead()).isFalse();
        }
        assertThat(repo.keySlots()).extracting(KeyInfo::kind)
                .containsExactly(KeySlot.Kind.FULL, KeySlot.Kind.WRITE_ONLY);
    }

    @Test
    void removeKeySlot_slotInUse_refuses() throws Exception {
        add(KeySlot.Kind.FULL, ALICE, "alice@desk");

        assertThatThrownBy(() -> repo.removeKeySlot(repo.currentKeySlot()))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("refusing to remove the key you are using")
                .satisfies(e -> assertThat(((RepositoryException) e).exitCode()).isEqualTo(1));
        assertThat(repo.keySlots()).hasSize(2);
    }

    @Test
    void removeKeySlot_otherFullSlot_removesItAndItsPasswordNoLongerOpens() throws Exception {
        String alice = add(KeySlot.Kind.FULL, ALICE, "alice@desk");

        assertThat(repo.removeKeySlot(alice)).isEqualTo(alice);

        assertThat(repo.keySlots()).extracting(KeyInfo::name).containsExactly(repo.currentKeySlot());
        assertThatThrownBy(() -> Repository.open(backend, ALICE, clock))
                .isInstanceOf(RepositoryException.WrongPassword.class);
    }

    @Test
    void removeKeySlot_lastFullSlot_refuses() throws Exception {
        String alice = add(KeySlot.Kind.FULL, ALICE, "alice@desk");
        add(KeySlot.Kind.WRITE_ONLY, WRITER, "ci@build");
        // Another session, opened with alice's key, removes the key this session uses.
        try (Repository other = Repository.open(backend, ALICE, clock)) {
            other.removeKeySlot(repo.currentKeySlot());
        }

        // Now alice's is the only full key left: removing it would lock everyone out of the data.
        assertThatThrownBy(() -> repo.removeKeySlot(alice))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("last full key");
        assertThat(backend.list(FileKind.KEY)).hasSize(2);
    }

    @Test
    void removeKeySlot_uniquePrefixAnyCase_removesThatSlot() throws Exception {
        String writer = add(KeySlot.Kind.WRITE_ONLY, WRITER, "ci@build");

        String removed = repo.removeKeySlot(writer.substring(0, 8).toUpperCase());

        assertThat(removed).isEqualTo(writer);
        assertThat(repo.keySlots()).extracting(KeyInfo::name).doesNotContain(writer);
    }

    @Test
    void removeKeySlot_ambiguousPrefix_refusesAndRemovesNothing() throws Exception {
        // Add write-only slots until two names share their first digit (at most 17 slots).
        Map<Character, List<String>> byFirst = new HashMap<>();
        byFirst.computeIfAbsent(repo.currentKeySlot().charAt(0), c -> new ArrayList<>()).add(repo.currentKeySlot());
        Character shared = null;
        while (shared == null) {
            String name = repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "w");
            List<String> same = byFirst.computeIfAbsent(name.charAt(0), c -> new ArrayList<>());
            same.add(name);
            if (same.size() == 2) {
                shared = name.charAt(0);
            }
        }
        int before = repo.keySlots().size();

        String prefix = String.valueOf(shared);
        assertThatThrownBy(() -> repo.removeKeySlot(prefix))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("'" + prefix + "' matches 2 keys")
                .hasMessageContaining("give more digits");
        assertThat(repo.keySlots()).hasSize(before);
    }

    @Test
    void removeKeySlot_noMatch_refusesWithClearMessage() throws Exception {
        assertThatThrownBy(() -> repo.removeKeySlot("zz"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("no key matches 'zz'");
    }

    @Test
    void removeKeySlot_writeOnlyKey_throwsWriteOnly() throws Exception {
        String alice = add(KeySlot.Kind.FULL, ALICE, "alice@desk");
        add(KeySlot.Kind.WRITE_ONLY, WRITER, "ci@build");

        try (Repository writer = Repository.open(backend, WRITER, clock)) {
            assertThatThrownBy(() -> writer.removeKeySlot(alice)).isInstanceOf(RepositoryException.WriteOnly.class);
        }
        assertThat(repo.keySlots()).hasSize(3);
    }

    @Test
    void addKeySlot_fullFromWriteOnlyKey_throwsWriteOnly() throws Exception {
        add(KeySlot.Kind.WRITE_ONLY, WRITER, "ci@build");

        try (Repository writer = Repository.open(backend, WRITER, clock)) {
            assertThatThrownBy(() -> writer.addKeySlot(KeySlot.Kind.FULL, ALICE, TestKdf.CHEAP, "escalate"))
                    .isInstanceOf(RepositoryException.WriteOnly.class)
                    .hasMessageContaining("write-only")
                    .satisfies(e -> assertThat(((RepositoryException) e).exitCode()).isEqualTo(1));
        }
        assertThat(repo.keySlots()).hasSize(2);
        assertThatThrownBy(() -> Repository.open(backend, ALICE, clock))
                .isInstanceOf(RepositoryException.WrongPassword.class);
    }

    @Test
    void addKeySlot_writeOnlyFromWriteOnlyKey_addsAnotherWriter() throws Exception {
        add(KeySlot.Kind.WRITE_ONLY, WRITER, "ci@build");
        char[] second = "second writer".toCharArray();

        try (Repository writer = Repository.open(backend, WRITER, clock)) {
            writer.addKeySlot(KeySlot.Kind.WRITE_ONLY, second, TestKdf.CHEAP, "ci@other");
        }

        try (Repository r = Repository.open(backend, second, clock)) {
            assertThat(r.canRead()).isFalse();
        }
    }
}
