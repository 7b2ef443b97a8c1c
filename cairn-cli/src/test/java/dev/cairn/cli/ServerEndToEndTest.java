package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.backup.Archiver;
import dev.cairn.client.backup.BackupOptions;
import dev.cairn.client.backup.BackupResult;
import dev.cairn.client.backup.Progress;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.repository.Repository;
import dev.cairn.repository.retention.Policy;
import dev.cairn.server.maintenance.Maintenance;
import dev.cairn.storage.Backend;
import dev.cairn.storage.ForwardingBackend;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.http.Fingerprint;
import dev.cairn.storage.http.HttpBackend;
import dev.cairn.storage.http.ServerLocation;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.storage.FileKind;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real server on loopback over TLS, through the {@code cairn} command line
 * exactly as a user types it: pinned certificate, device tokens, quotas, the trash, server-side
 * retention and collection, and many clients at once.
 */
class ServerEndToEndTest {
    /** Appears in every backed-up file's name and content; must never appear on the server. */
    private static final String MARKER = "zebra-unicorn-7f3a";

    @TempDir
    Path dir;

    private final FakeClock serverClock = new FakeClock(Instant.now());
    private CairnServer server;
    private CliHarness cli;
    private String fullToken;
    private String appendToken;

    @BeforeEach
    void start() throws IOException {
        server = CairnServer.start(ServerConfig.builder(dir.resolve("server")).listenHost("127.0.0.1").port(0)
                .clock(serverClock).kdf(TestKdf.CHEAP).maintenanceInterval(Duration.ZERO).zone(ZoneOffset.UTC)
                .stopTimeout(Duration.ofSeconds(5)).build());
        server.admin().addAccount("alice", "alice-password-1");
        fullToken = server.admin().createToken("alice", "desktop", true);
        appendToken = server.admin().createToken("alice", "laptop", false);
        cli = new CliHarness(dir.resolve("home"));
        cli.env.put("CAIRN_REPOSITORY", url("laptop"));
        cli.env.put("CAIRN_SERVER_TOKEN", appendToken);
        cli.env.put("CAIRN_SERVER_FINGERPRINT", server.fingerprint());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String repo) {
        return "cairn+https://127.0.0.1:" + server.port() + "/alice/" + repo;
    }

    private Path tree(String name, int files, long seed) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < files; i++) {
            Path f = root.resolve(MARKER + "-" + i + ".txt");
            Files.writeString(f, (MARKER + " line " + i + " seed " + seed + "\n").repeat(2000 + i));
        }
        CliHarness.writeRandom(root.resolve(MARKER + ".bin"), 3 * 1024 * 1024 + seed, seed);
        return root;
    }

    private void assertRestoresIdentically(String snapshot, Path source) throws IOException {
        Path target = dir.resolve("restore-" + System.nanoTime());
        cli.expect(0, "restore", snapshot, "--target", target.toString());
        assertThat(CliHarness.digests(CliHarness.restoredPath(target, source))).isEqualTo(CliHarness.digests(source));
    }

    @Test
    void backupRestoreCheck_throughServer_leaveNothingReadableOnIt() throws IOException {
        Path src = tree("src", 20, 1);
        cli.expect(0, "init");
        cli.expect(0, "backup", src.toString());

        assertRestoresIdentically("latest", src);
        CliHarness.Result check = cli.expect(0, "check", "--read-data");
        assertThat(check.out()).contains("no errors found");

        byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
        List<Path> leaks = new ArrayList<>();
        try (var files = Files.walk(dir.resolve("server"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.toString().contains(MARKER)
                        || Files.isRegularFile(p) && indexOf(Files.readAllBytes(p), marker) >= 0) {
                    leaks.add(p);
                }
            }
        }
        assertThat(leaks).as("server files holding a name or content from the backed-up tree").isEmpty();
    }

    @Test
    void wrongFingerprint_failsClosedAndSendsNothing() throws IOException {
        String wrong = "00".repeat(32);
        CliHarness.Result r = cli.run(cli.envWith("CAIRN_SERVER_FINGERPRINT", wrong), "init");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).containsIgnoringCase("fingerprint");
        assertThat(server.admin().usage("alice").repositories()).isEmpty();
    }

    @Test
    void unknownToken_exits14() {
        CliHarness.Result r = cli.run(cli.envWith("CAIRN_SERVER_TOKEN", "cairn_0123456789abcdef_" + "A".repeat(43)),
                "init");

        assertThat(r.code()).as(r.toString()).isEqualTo(14);
    }

    @Test
    void appendOnlyForget_landsInTrashAndCanBeUndone() throws IOException {
        Path src = tree("src", 3, 2);
        cli.expect(0, "init");
        cli.expect(0, "backup", src.toString());
        cli.expect(0, "backup", src.toString());
        String json = cli.expect(0, "snapshots", "--json").out();
        String first = ids(json).get(0);

        cli.expect(0, "forget", "--keep-last", "1");

        assertThat(countSnapshots()).isEqualTo(1);
        var trash = server.admin().trash("alice");
        assertThat(trash).filteredOn(e -> e.kind() == FileKind.SNAPSHOT).singleElement()
                .satisfies(e -> assertThat(e.name()).isEqualTo(first));
        long id = trash.stream().filter(e -> e.kind() == FileKind.SNAPSHOT).findFirst().orElseThrow().id();
        // Undoing needs the account password, which a device does not hold.
        assertThat(cli.run("account", "restore", Long.toString(id)).code()).isNotZero();
        cli.env.put("CAIRN_ACCOUNT_PASSWORD", "alice-password-1");
        assertThat(cli.expect(0, "account", "trash").out()).contains(first.substring(0, 8)).contains("snapshots");
        assertThat(cli.expect(0, "account", "usage").out()).contains("account alice").contains("laptop");
        cli.expect(0, "account", "restore", Long.toString(id));
        assertThat(countSnapshots()).isEqualTo(2);
    }

    @Test
    void quotaExhaustedMidBackup_exits13AndLeavesRepositoryConsistent() throws IOException {
        cli.expect(0, "init");
        Path small = tree("small", 2, 3);
        cli.expect(0, "backup", small.toString());
        long used = server.admin().usage("alice").total();
        server.admin().setQuota("alice", used + 2 * 1024 * 1024);
        Path big = dir.resolve("big");
        Files.createDirectories(big);
        for (int i = 0; i < 4; i++) {
            CliHarness.writeRandom(big.resolve("random-" + i), 5L * 1024 * 1024, 100 + i);
        }

        CliHarness.Result refused = cli.run("backup", big.toString());

        assertThat(refused.code()).as(refused.toString()).isEqualTo(13);
        assertThat(refused.err()).contains("quota");
        assertThat(server.admin().usage("alice").total()).isLessThanOrEqualTo(used + 2 * 1024 * 1024);
        cli.expect(0, "check");
        assertRestoresIdentically("latest", small);

        server.admin().setQuota("alice", 0);
        cli.expect(0, "backup", big.toString());
        cli.expect(0, "check", "--read-data");
        assertRestoresIdentically("latest", big);
    }

    @Test
    void serverRetentionAndCollection_keepEverySurvivorRestorable() throws IOException {
        cli.env.put("CAIRN_SERVER_TOKEN", fullToken);
        cli.expect(0, "init");
        List<Path> versions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path src = dir.resolve("src");
            if (i == 0) {
                tree("src", 4, 10);
            }
            CliHarness.writeRandom(src.resolve("changing-" + i), 2L * 1024 * 1024, 200 + i);
            if (i > 0) {
                Files.delete(src.resolve("changing-" + (i - 1)));
            }
            cli.expect(0, "backup", src.toString());
            Path copy = dir.resolve("copy-" + i);
            copyTree(src, copy);
            versions.add(copy);
        }
        server.admin().setPolicy("alice", new Policy(2, 0, 0, 0, 0, 0, null, null));

        var retention = server.runMaintenance();
        serverClock.advance(Duration.ofDays(8));
        var collection = server.runMaintenance();

        assertThat(retention.snapshotsTrashed()).isEqualTo(2);
        assertThat(collection.packsTrashed()).isPositive();
        assertThat(countSnapshots()).isEqualTo(2);
        CliHarness.Result check = cli.expect(0, "check", "--read-data");
        assertThat(check.out()).contains("no errors found");
        String json = cli.expect(0, "snapshots", "--json").out();
        for (String id : ids(json)) {
            Path target = dir.resolve("r-" + id);
            cli.expect(0, "restore", id, "--target", target.toString());
            Path restored = CliHarness.restoredPath(target, dir.resolve("src"));
            Map<String, String> got = CliHarness.digests(restored);
            assertThat(versions.subList(2, 4)).anySatisfy(v -> assertThat(CliHarness.digests(v)).isEqualTo(got));
        }
        cli.expect(0, "backup", dir.resolve("src").toString());
        cli.expect(0, "check");
    }

    @Test
    void twentyClientsAtOnce_allSucceed() throws Exception {
        int clients = 20;
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Path src = Files.createDirectories(dir.resolve("c" + i));
            CliHarness.writeRandom(src.resolve("data"), 1024 * 1024 + i * 4096L, 1000 + i);
            Files.writeString(src.resolve("note.txt"), "client " + i);
            sources.add(src);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<CliHarness.Result>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    CliHarness own = new CliHarness(dir.resolve("home-" + n));
                    own.env.putAll(cli.env);
                    own.env.put("CAIRN_REPOSITORY", url("machine-" + n));
                    own.env.put("CAIRN_SERVER_TOKEN", server.admin().createToken("alice", "machine-" + n, false));
                    CliHarness.Result init = own.run("init");
                    return init.code() != 0 ? init : own.run("backup", sources.get(n).toString());
                }));
            }
            for (Future<CliHarness.Result> f : results) {
                CliHarness.Result r = f.get();
                assertThat(r.code()).as(r.toString()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.admin().usage("alice").repositories()).hasSize(clients);
        cli.env.put("CAIRN_REPOSITORY", url("machine-7"));
        cli.expect(0, "check", "--read-data");
        assertRestoresIdentically("latest", sources.get(7));
    }

    @Test
    void packCollectedWhileBackupRuns_commitIsRefusedAndRetried() throws Exception {
        cli.env.put("CAIRN_SERVER_TOKEN", fullToken);
        cli.expect(0, "init");
        Path src = tree("src", 3, 5);
        cli.expect(0, "backup", src.toString());
        Backend direct = httpBackend(fullToken);
        String only = direct.list(FileKind.SNAPSHOT).get(0).handle().name();
        // Its packs now hold data that no live snapshot names, but the client's index still lists them.
        direct.delete(Handle.of(FileKind.SNAPSHOT, only));

        var collectedDuringCommit = new java.util.concurrent.atomic.AtomicReference<Maintenance.Report>();
        Backend racing = new ForwardingBackend(direct) {
            @Override
            public void put(Handle handle, Payload payload) throws IOException {
                if (handle.kind() == FileKind.SNAPSHOT && collectedDuringCommit.get() == null) {
                    // The backup outlived the grace period: its own lock looks stale, so collection runs.
                    serverClock.advance(Duration.ofDays(8));
                    collectedDuringCommit.set(server.runMaintenance());
                }
                super.put(handle, payload);
            }
        };
        BackupResult result;
        try (Repository repo = Repository.open(racing, CliHarness.PASSWORD.toCharArray(), java.time.Clock.systemUTC())) {
            BackupOptions opts = new BackupOptions(List.of(src), List.of(), false, false, List.of(), "racer", "tester",
                    BackupMode.INCREMENTAL, 2, 3);
            result = new Archiver(repo, opts, null, new Progress(), java.time.Clock.systemUTC()).run();
        }

        assertThat(collectedDuringCommit.get().packsTrashed()).isPositive();
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("vanished"));
        assertRestoresIdentically("latest", src);
        assertThat(cli.expect(0, "check", "--read-data").out()).contains("no errors found");
    }

    private Backend httpBackend(String token) {
        return HttpBackend.builder(ServerLocation.parse(url("laptop"))).credential(token)
                .fingerprint(Fingerprint.parse(server.fingerprint())).build();
    }

    private int countSnapshots() {
        return ids(cli.expect(0, "snapshots", "--json").out()).size();
    }

    private static List<String> ids(String json) {
        List<String> out = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\"id\":\"([0-9a-f]+)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
