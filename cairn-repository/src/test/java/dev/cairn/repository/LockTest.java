package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LockTest {
    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend backend = new MemoryBackend();
    private Repository repo;
    private Repository other; // a second process using the same repository

    @BeforeEach
    void setUp() throws Exception {
        repo = Fixtures.init(backend, clock);
        other = Fixtures.open(backend, clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        repo.close();
        other.close();
    }

    private List<Handle> lockFiles() throws Exception {
        return backend.list(FileKind.LOCK).stream().map(FileInfo::handle).toList();
    }

    @Test
    void acquire_twoShared_coexist() throws Exception {
        try (Lock a = Lock.acquire(repo, false, "backup on laptop");
                Lock b = Lock.acquire(other, false, "check on server")) {
            assertThat(lockFiles()).hasSize(2);
        }
        assertThat(lockFiles()).isEmpty();
    }

    @Test
    void acquire_sharedWhileExclusiveHeld_throwsLockedWithExitCode11() throws Exception {
        try (Lock held = Lock.acquire(repo, true, "prune on server")) {
            assertThatThrownBy(() -> Lock.acquire(other, false, "backup on laptop"))
                    .isInstanceOf(RepositoryException.Locked.class)
                    .hasMessageContaining("an exclusive lock is held by prune on server")
                    .satisfies(e -> assertThat(((RepositoryException) e).exitCode()).isEqualTo(11));
            // The refused attempt leaves no lock file behind.
            assertThat(lockFiles()).hasSize(1);
        }
    }

    @Test
    void acquire_exclusiveWhileSharedHeld_throwsLocked() throws Exception {
        try (Lock held = Lock.acquire(repo, false, "backup on laptop")) {
            assertThatThrownBy(() -> Lock.acquire(other, true, "prune on server"))
                    .isInstanceOf(RepositoryException.Locked.class)
                    .hasMessageContaining("a lock is held by backup on laptop");
            assertThat(lockFiles()).hasSize(1);
        }
    }

    @Test
    void acquire_exclusiveWhileExclusiveHeld_throwsLocked() throws Exception {
        try (Lock held = Lock.acquire(repo, true, "prune on server")) {
            assertThatThrownBy(() -> Lock.acquire(other, true, "forget on laptop"))
                    .isInstanceOf(RepositoryException.Locked.class);
        }
    }

    @Test
    void acquire_conflictingLockOlderThanStaleAfter_isIgnored() throws Exception {
        Lock.acquire(repo, true, "prune that was killed"); // never released
        clock.advance(Lock.STALE_AFTER.plusSeconds(1));

        try (Lock shared = Lock.acquire(other, false, "backup on laptop")) {
            assertThat(lockFiles()).hasSize(2);
        }
        try (Lock exclusive = Lock.acquire(other, true, "prune again")) {
            assertThat(lockFiles()).hasSize(2);
        }
    }

    @Test
    void acquire_conflictingLockJustYoungerThanStaleAfter_stillHolds() throws Exception {
        Lock.acquire(repo, true, "prune on server");
        clock.advance(Lock.STALE_AFTER.minusSeconds(1));

        assertThatThrownBy(() -> Lock.acquire(other, false, "backup on laptop"))
                .isInstanceOf(RepositoryException.Locked.class);
    }

    @Test
    void acquire_damagedLockFile_isIgnored() throws Exception {
        backend.put(Handle.of(FileKind.LOCK, "abcdef"), Payload.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));

        try (Lock lock = Lock.acquire(repo, true, "prune on server")) {
            assertThat(lockFiles()).hasSize(2);
        }
    }

    @Test
    void close_removesTheLockFile() throws Exception {
        Lock lock = Lock.acquire(repo, true, "prune on server");
        assertThat(lockFiles()).hasSize(1);

        lock.close();

        assertThat(lockFiles()).isEmpty();
        Lock.acquire(other, true, "next prune").close();
        lock.close(); // closing twice is harmless
    }

    @Test
    void refresh_replacesFileAndKeepsLockAlive() throws Exception {
        try (Lock lock = Lock.acquire(repo, false, "long backup")) {
            List<Handle> before = lockFiles();
            clock.advance(Duration.ofMinutes(25));

            lock.refresh("long backup");

            List<Handle> after = lockFiles();
            assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);
            // 40 minutes after it was taken, but 15 after its refresh: still live.
            clock.advance(Duration.ofMinutes(15));
            assertThatThrownBy(() -> Lock.acquire(other, true, "prune on server"))
                    .isInstanceOf(RepositoryException.Locked.class);
        }
        assertThat(lockFiles()).isEmpty();
    }
}
