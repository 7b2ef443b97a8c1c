package dev.cairn.client.drill;

import static dev.cairn.client.backup.TestSupport.backup;
import static dev.cairn.client.backup.TestSupport.initRepo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplerTest {
    @TempDir
    Path work;

    private Id backUpFiles(Repository repo, int count) throws IOException {
        Path src = Files.createDirectories(work.resolve("src/sub"));
        for (int i = 0; i < count; i++) {
            Files.writeString((i % 2 == 0 ? src : src.getParent()).resolve("f" + i), "file " + i);
        }
        Files.createSymbolicLink(src.resolve("link"), Path.of("f0"));
        return repo.readSnapshot(backup(repo, BackupMode.FULL, src.getParent()).snapshot()).snapshot().tree();
    }

    private static List<String> paths(Repository repo, Id root, long seed, int limit) throws IOException {
        return new Sampler(repo, seed, limit, Long.MAX_VALUE).sample(root).stream().map(SampledFile::path).toList();
    }

    @Test
    void sample_sameSeed_choosesTheSameFiles() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Id root = backUpFiles(repo, 30);

            List<String> first = paths(repo, root, 42, 5);

            assertThat(first).hasSize(5).isSorted();
            assertThat(paths(repo, root, 42, 5)).isEqualTo(first);
            assertThat(paths(repo, root, 43, 5)).isNotEqualTo(first);
        }
    }

    @Test
    void sample_regularFilesOnly_andAllOfThemWhenFewerThanTheLimit() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Id root = backUpFiles(repo, 4);

            List<String> all = paths(repo, root, 1, 10);

            assertThat(all).hasSize(4).noneMatch(p -> p.endsWith("/link"));
        }
    }

    @Test
    void sample_overManySeeds_picksEveryFileAboutEquallyOften() throws IOException {
        try (Repository repo = initRepo(work.resolve("repo"))) {
            Id root = backUpFiles(repo, 10);
            Map<String, Integer> picks = new HashMap<>();

            for (long seed = 0; seed < 400; seed++) {
                paths(repo, root, seed, 5).forEach(p -> picks.merge(p, 1, Integer::sum));
            }

            // each file is expected 200 times (400 draws of 5 of 10); 140..260 is beyond 6 sigma
            assertThat(picks).hasSize(10);
            assertThat(picks.values()).allSatisfy(n -> assertThat(n).isBetween(140, 260));
        }
    }
}
