package dev.cairn.storage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerLocationTest {

    @Test
    void parse_httpsWithPort_readsEveryPart() {
        ServerLocation location = ServerLocation.parse("cairn+https://backup.example.org:9443/alice/laptop");

        assertThat(location).isEqualTo(new ServerLocation(true, "backup.example.org", 9443, "alice", "laptop"));
        assertThat(location.baseUri())
                .isEqualTo(URI.create("https://backup.example.org:9443/v1/repos/alice/laptop/"));
    }

    @Test
    void parse_withoutPort_usesDefaultPerScheme() {
        assertThat(ServerLocation.parse("cairn+https://h/a/r").port()).isEqualTo(8443);
        assertThat(ServerLocation.parse("cairn+http://h/a/r").port()).isEqualTo(8080);
        assertThat(ServerLocation.parse("cairn+http://h/a/r").tls()).isFalse();
    }

    @Test
    void parse_ipv6Literal_keepsBrackets() {
        ServerLocation location = ServerLocation.parse("cairn+https://[::1]:8443/a/r");

        assertThat(location.host()).isEqualTo("[::1]");
        assertThat(location.socketHost()).isEqualTo("::1");
        assertThat(location.hostAndPort()).isEqualTo("[::1]:8443");
        assertThat(location.baseUri()).isEqualTo(URI.create("https://[::1]:8443/v1/repos/a/r/"));
    }

    @Test
    void parse_upperCaseSchemeAndHostAndTrailingSlash_normalised() {
        ServerLocation location = ServerLocation.parse("CAIRN+HTTPS://Backup.Example.ORG/a_1/my.repo-2/");

        assertThat(location.toString()).isEqualTo("cairn+https://backup.example.org:8443/a_1/my.repo-2");
    }

    @Test
    void toString_roundTripsThroughParse() {
        ServerLocation location = ServerLocation.parse("cairn+http://10.0.0.7/acct/repo");

        assertThat(ServerLocation.parse(location.toString())).isEqualTo(location);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "cairn+https://host/alice",
        "cairn+https://host/alice/repo/extra",
        "cairn+https://host/",
        "cairn+https:///alice/repo",
        "cairn+https://host/Alice/repo",
        "cairn+https://host/-alice/repo",
        "cairn+https://host/abcdefghijklmnopqrstuvwxyz0123456/repo",
        "cairn+https://host/alice/re..po",
        "cairn+https://host/alice/.repo",
        "cairn+https://host/alice/re%20po",
        "cairn+https://host:99999/alice/repo",
        "cairn+https://host:port/alice/repo",
        "cairn+https://host/alice/repo?x=1",
        "cairn+https://ho_st/alice/repo",
        "https://host/alice/repo",
        "cairn+ftp://host/alice/repo",
    })
    void parse_malformed_refusedNamingExpectedForm(String url) {
        assertThatThrownBy(() -> ServerLocation.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cairn+https://HOST[:PORT]/ACCOUNT/REPO");
    }

    @Test
    void parse_withCredential_refusedWithoutEchoingIt() {
        assertThatThrownBy(() -> ServerLocation.parse("cairn+https://alice:s3cret@host/alice/repo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("credential")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void isServerUrl_recognisesBothSchemesOnly() {
        assertThat(ServerLocation.isServerUrl("cairn+https://h/a/r")).isTrue();
        assertThat(ServerLocation.isServerUrl("cairn+http://h/a/r")).isTrue();
        assertThat(ServerLocation.isServerUrl("/home/alice/backup")).isFalse();
        assertThat(ServerLocation.isServerUrl("https://h/a/r")).isFalse();
        assertThat(ServerLocation.isServerUrl(null)).isFalse();
    }
}
