package dev.cairn.repository;

import static dev.cairn.repository.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import dev.cairn.format.crypto.KeySlot;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupIdTest {
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

    @Test
    void groupId_sameHostAndPathsInAnyOrder_isTheSame() {
        Id a = repo.groupId("laptop", List.of(utf8("/home/alice"), utf8("/etc"), utf8("/srv/data")));
        Id b = repo.groupId("laptop", List.of(utf8("/srv/data"), utf8("/home/alice"), utf8("/etc")));

        assertThat(a).isEqualTo(b);
    }

    @Test
    void groupId_differentHost_differs() {
        List<byte[]> paths = List.of(utf8("/home/alice"));

        assertThat(repo.groupId("laptop", paths)).isNotEqualTo(repo.groupId("desktop", paths));
    }

    @Test
    void groupId_differentPaths_differs() {
        Id base = repo.groupId("laptop", List.of(utf8("/home/alice"), utf8("/etc")));

        assertThat(repo.groupId("laptop", List.of(utf8("/home/alice")))).isNotEqualTo(base);
        assertThat(repo.groupId("laptop", List.of(utf8("/home/bob"), utf8("/etc")))).isNotEqualTo(base);
        assertThat(repo.groupId("laptop", List.of(utf8("/home/alice"), utf8("/etc"), utf8("/var"))))
                .isNotEqualTo(base);
        // Path boundaries count: two paths are not their concatenation.
        assertThat(repo.groupId("laptop", List.of(utf8("/a"), utf8("/b"))))
                .isNotEqualTo(repo.groupId("laptop", List.of(utf8("/a/b"))));
    }

    @Test
    void groupId_differentRepository_differs() throws Exception {
        List<byte[]> paths = List.of(utf8("/home/alice"));
        try (Repository another = Fixtures.init(new MemoryBackend(), clock)) {
            assertThat(another.groupId("laptop", paths)).isNotEqualTo(repo.groupId("laptop", paths));
        }
    }

    @Test
    void groupId_sameRepositoryReopenedOrWriteOnly_isStable() throws Exception {
        List<byte[]> paths = List.of(utf8("/home/alice"), utf8("/etc"));
        Id expected = repo.groupId("laptop", paths);
        char[] writer = "writer".toCharArray();
        repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, writer, TestKdf.CHEAP, "ci");

        try (Repository again = Fixtures.open(backend, clock)) {
            assertThat(again.groupId("laptop", paths)).isEqualTo(expected);
        }
        try (Repository w = Repository.open(backend, writer, clock)) {
            assertThat(w.groupId("laptop", paths)).isEqualTo(expected);
        }
    }
}
