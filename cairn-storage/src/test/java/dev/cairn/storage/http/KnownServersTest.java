package dev.cairn.storage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownServersTest {
    private static final Fingerprint ONE = Fingerprint.parse("11".repeat(32));
    private static final Fingerprint TWO = Fingerprint.parse("22".repeat(32));
    private static final ServerLocation HOME = ServerLocation.parse("cairn+https://nas.home:8443/alice/laptop");
    private static final ServerLocation SAME_SERVER = ServerLocation.parse("cairn+https://nas.home/bob/desktop");
    private static final ServerLocation V6 = ServerLocation.parse("cairn+https://[fe80::1]:9000/alice/laptop");

    @TempDir
    Path dir;

    @Test
    void lookup_missingFile_isEmpty() throws IOException {
        KnownServers known = new KnownServers(dir.resolve("none/known_servers"));

        assertThat(known.lookup(HOME)).isEmpty();
        assertThat(known.verify(HOME, ONE)).isFalse();
    }

    @Test
    void remember_thenLookup_roundTripsPerHostAndPort() throws IOException {
        Path file = dir.resolve("config/known_servers");
        new KnownServers(file).remember(HOME, ONE);
        new KnownServers(file).remember(V6, TWO);

        KnownServers known = new KnownServers(file);
        assertThat(known.lookup(SAME_SERVER)).contains(ONE);
        assertThat(known.lookup(V6)).contains(TWO);
        assertThat(known.verify(HOME, ONE)).isTrue();
        assertThat(Files.readAllLines(file))
                .containsExactly("nas.home:8443 " + ONE.hex(), "[fe80::1]:9000 " + TWO.hex());
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void remember_again_replacesAndKeepsComments() throws IOException {
        Path file = dir.resolve("known_servers");
        Files.writeString(file, "# accepted servers\n\nnas.home:8443 " + ONE.colonSeparated() + "\n");
        KnownServers known = new KnownServers(file);

        known.remember(HOME, TWO);

        assertThat(known.lookup(HOME)).contains(TWO);
        assertThat(Files.readAllLines(file)).containsExactly("# accepted servers", "", "nas.home:8443 " + TWO.hex());
    }

    @Test
    void verify_differentFingerprint_failsNamingBoth() throws IOException {
        KnownServers known = new KnownServers(dir.resolve("known_servers"));
        known.remember(HOME, ONE);

        assertThatThrownBy(() -> known.verify(HOME, TWO))
                .isInstanceOf(KnownServers.MismatchException.class)
                .hasMessageContaining(ONE.toString())
                .hasMessageContaining(TWO.toString())
                .hasMessageContaining("intercepting")
                .hasMessageContaining("nas.home:8443");
    }

    @Test
    void forget_removesOnlyThatServer() throws IOException {
        KnownServers known = new KnownServers(dir.resolve("known_servers"));
        known.remember(HOME, ONE);
        known.remember(V6, TWO);

        assertThat(known.forget(HOME)).isTrue();
        assertThat(known.forget(HOME)).isFalse();

        assertThat(known.lookup(HOME)).isEmpty();
        assertThat(known.lookup(V6)).contains(TWO);
    }

    @Test
    void lookup_malformedLine_failsNamingFileAndLine() throws IOException {
        Path file = dir.resolve("known_servers");
        Files.writeString(file, "nas.home:8443 " + ONE.hex() + "\nbroken-line\n");

        assertThatThrownBy(() -> new KnownServers(file).lookup(HOME))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 2");
    }
}
