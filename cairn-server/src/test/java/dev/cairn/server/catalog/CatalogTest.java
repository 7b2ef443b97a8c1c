package dev.cairn.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.FileKind;
import dev.cairn.testkit.FakeClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void open_emptyDatabase_appliesMigrationsInWalMode() {
        Catalog c = Catalog.open(dir, clock);
        assertThat(c.appliedVersions()).containsExactly("1", "2");
        assertThat(c.journalMode()).isEqualToIgnoringCase("wal");
        assertThat(dir.resolve("catalog.db")).exists();
    }

    @Test
    void open_again_isIdempotentAndKeepsData() {
        Catalog.open(dir, clock).createAccount("alice", "hash");
        Catalog again = Catalog.open(dir, clock);
        assertThat(again.appliedVersions()).containsExactly("1", "2");
        assertThat(again.account("alice")).isPresent();
    }

    @Test
    void createAccount_duplicateName_refused() {
        Catalog c = Catalog.open(dir, clock);
        c.createAccount("alice", "hash");
        assertThatThrownBy(() -> c.createAccount("alice", "other")).isInstanceOf(CatalogException.class)
                .hasMessageContaining("exists");
    }

    @Test
    void unreferencedPacks_excludesNamedAndFreshPacks() {
        Catalog c = Catalog.open(dir, clock);
        long account = c.createAccount("alice", "hash").id();
        c.addFile(account, "r", FileKind.PACK, "aa", 10, null);
        c.addFile(account, "r", FileKind.PACK, "bb", 20, null);
        c.addFile(account, "r", FileKind.SNAPSHOT, "s1", 5, new Catalog.EnvelopeRow(1, "h", "g", 2, List.of("aa")));
        clock.advance(java.time.Duration.ofDays(1));
        c.addFile(account, "r", FileKind.PACK, "cc", 30, null);
        long repo = c.repository(account, "r").orElseThrow().id();
        assertThat(c.unreferencedPacks(repo, clock.millis())).extracting(Catalog.StoredFile::name).containsExactly("bb");
        assertThat(c.usage(account).liveBytes()).isEqualTo(65);
    }
}
