package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.Id;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.crypto.KeySlot;
import dev.cairn.repository.retention.Policy;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyStoreTest {
    private static final char[] WRITER = "ci writer password".toCharArray();
    private static final Policy DAILY = new Policy(3, 0, 7, 4, 0, 0, Duration.ofDays(30), Set.of("keep", "важно"));
    private static final Policy LAST_ONE = new Policy(1, 0, 0, 0, 0, 0, null, null);

    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend backend = new MemoryBackend();

    private Repository init() throws IOException {
        return Fixtures.init(backend, clock);
    }

    private List<FileInfo> files() throws IOException {
        return backend.list(FileKind.POLICY);
    }

    private byte[] onlyFile() throws IOException {
        assertThat(files()).hasSize(1);
        return backend.readAll(files().get(0).handle());
    }

    private void plant(byte[] file) throws IOException {
        backend.put(Handle.of(FileKind.POLICY, Id.sha256(file, 0, file.length).hex()), Payload.of(file));
    }

    @Test
    void load_nothingStored_isEmpty() throws Exception {
        try (Repository repo = init()) {
            assertThat(new PolicyStore(repo).load()).isEmpty();
        }
    }

    @Test
    void saveThenLoad_roundTrips() throws Exception {
        try (Repository repo = init()) {
            new PolicyStore(repo).save(DAILY);
        }
        try (Repository repo = Fixtures.open(backend, clock)) {
            assertThat(new PolicyStore(repo).load()).contains(DAILY);
        }
        assertThat(files()).hasSize(1);
    }

    @Test
    void save_replacesTheStoredPolicy() throws Exception {
        try (Repository repo = init()) {
            PolicyStore store = new PolicyStore(repo);
            store.save(DAILY);
            clock.advance(Duration.ofMinutes(1));
            store.save(LAST_ONE);

            assertThat(store.load()).contains(LAST_ONE);
            assertThat(files()).hasSize(1);
        }
    }

    @Test
    void load_severalValidFiles_newestWins() throws Exception {
        try (Repository repo = init()) {
            PolicyStore store = new PolicyStore(repo);
            store.save(LAST_ONE);
            byte[] older = onlyFile();
            clock.advance(Duration.ofHours(1));
            store.save(DAILY);
            // A file left by a save that was killed before deleting the ones it replaced.
            plant(older);
            assertThat(files()).hasSize(2);

            assertThat(store.load()).contains(DAILY);
        }
    }

    @Test
    void load_policyWrittenWithAnotherRepositorysKey_isIgnored() throws Exception {
        MemoryBackend other = new MemoryBackend();
        try (Repository foreign = Fixtures.init(other, clock)) {
            clock.advance(Duration.ofHours(1));
            new PolicyStore(foreign).save(LAST_ONE);
        }
        byte[] planted = other.readAll(other.list(FileKind.POLICY).get(0).handle());
        try (Repository repo = init()) {
            PolicyStore store = new PolicyStore(repo);
            plant(planted);
            assertThat(store.load()).isEmpty();

            clock.advance(Duration.ofHours(-2));
            store.save(DAILY);
            plant(planted); // newer than ours, but not ours
            assertThat(store.load()).contains(DAILY);
        }
    }

    @Test
    void load_tamperedPolicyWithRecomputedChecksum_isIgnored() throws Exception {
        try (Repository repo = init()) {
            PolicyStore store = new PolicyStore(repo);
            store.save(DAILY);
            byte[] file = onlyFile();
            // Body: u64 time, then bytes(policy): a varint length, u8 version, varint keep-last.
            int keepLast = Framing.HEADER_LENGTH + 8 + 1 + 1;
            assertThat(file[keepLast]).isEqualTo((byte) 3);
            byte[] body = Arrays.copyOf(file, file.length - Framing.FOOTER_LENGTH);
            body[keepLast] = 1;
            byte[] tampered = Framing.finish(new ByteWriter().raw(body));
            Framing.verify(tampered, dev.cairn.format.codec.FileType.POLICY, "tampered"); // the CRC is right
            backend.delete(files().get(0).handle());
            plant(tampered);

            assertThat(store.load()).isEmpty();

            // A later time, to win over the genuine file, is tampering as well.
            byte[] later = Arrays.copyOf(file, file.length - Framing.FOOTER_LENGTH);
            later[Framing.HEADER_LENGTH] ^= 0x01;
            plant(file);
            plant(Framing.finish(new ByteWriter().raw(later)));
            assertThat(store.load()).contains(DAILY);
        }
    }

    @Test
    void load_damagedOrTruncatedFile_isIgnored() throws Exception {
        try (Repository repo = init()) {
            PolicyStore store = new PolicyStore(repo);
            store.save(DAILY);
            byte[] file = onlyFile();
            plant(Arrays.copyOf(file, 20));
            byte[] flipped = file.clone();
            flipped[15] ^= 4;
            plant(flipped);

            assertThat(store.load()).contains(DAILY);
        }
    }

    @Test
    void writeOnlyKey_cannotSaveOrLoad() throws Exception {
        try (Repository repo = init()) {
            new PolicyStore(repo).save(DAILY);
            repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "ci@build");
        }
        try (Repository writer = Repository.open(backend, WRITER, clock)) {
            PolicyStore store = new PolicyStore(writer);

            assertThatThrownBy(() -> store.save(LAST_ONE)).isInstanceOf(RepositoryException.WriteOnly.class)
                    .hasMessageContaining("write-only");
            assertThatThrownBy(store::load).isInstanceOf(RepositoryException.WriteOnly.class);
        }
        try (Repository repo = Fixtures.open(backend, clock)) {
            assertThat(new PolicyStore(repo).load()).contains(DAILY);
        }
        assertThat(files()).hasSize(1);
    }
}
