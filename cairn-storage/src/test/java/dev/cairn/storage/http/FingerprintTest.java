package dev.cairn.storage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FingerprintTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String PAIRS = "01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef"
            + ":01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef";

    @Test
    void parse_anySpelling_normalisesToLowercaseHex() {
        assertThat(Fingerprint.parse(HEX).hex()).isEqualTo(HEX);
        assertThat(Fingerprint.parse(HEX.toUpperCase(Locale.ROOT)).hex()).isEqualTo(HEX);
        assertThat(Fingerprint.parse(PAIRS).hex()).isEqualTo(HEX);
        assertThat(Fingerprint.parse("  " + PAIRS.toUpperCase(Locale.ROOT) + "\n").hex()).isEqualTo(HEX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0123", "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
        "01:23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00"})
    void parse_malformed_refused(String text) {
        assertThatThrownBy(() -> Fingerprint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits");
    }

    @Test
    void toString_showsColonPairs() {
        assertThat(Fingerprint.parse(HEX).toString()).isEqualTo(PAIRS);
        assertThat(Fingerprint.parse(HEX).colonSeparated()).isEqualTo(PAIRS);
    }

    @Test
    void of_certificate_matchesKeytoolSha256() throws Exception {
        TestCertificate cert = TestCertificate.get();

        assertThat(Fingerprint.of(cert.certificate)).isEqualTo(Fingerprint.parse(cert.keytoolFingerprint));
    }
}
