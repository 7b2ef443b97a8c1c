package dev.cairn.format.crypto;

import static dev.cairn.format.Fixtures.ascii;
import static dev.cairn.format.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KdfTest {

    /** phc-winner-argon2 src/test.c, Argon2id v=0x13: "password", "somesalt", t=2, m=256 KiB. */
    @Test
    void derive_referenceVectorOneLane() {
        assertThat(hex(Kdf.derive("password".toCharArray(), ascii("somesalt"), new KdfParams(256, 2, 1))))
                .isEqualTo("9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe");
    }

    @Test
    void derive_referenceVectorTwoLanes() {
        assertThat(hex(Kdf.derive("password".toCharArray(), ascii("somesalt"), new KdfParams(256, 2, 2))))
                .isEqualTo("6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037");
    }

    @Test
    void derive_nfdPasswordEqualsNfc() {
        byte[] salt = new byte[16];
        byte[] nfc = Kdf.derive("caf\u00e9".toCharArray(), salt, new KdfParams(8, 1, 1));
        byte[] nfd = Kdf.derive("cafe\u0301".toCharArray(), salt, new KdfParams(8, 1, 1));
        assertThat(nfd).isEqualTo(nfc).hasSize(32);
        assertThat(Kdf.passwordBytes("cafe\u0301".toCharArray())).isEqualTo(new byte[] {'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9});
    }

    @Test
    void derive_dependsOnSaltAndParams() {
        char[] pw = "pw".toCharArray();
        byte[] a = Kdf.derive(pw, new byte[16], new KdfParams(8, 1, 1));
        assertThat(Kdf.derive(pw, new byte[16], new KdfParams(8, 1, 1))).isEqualTo(a);
        assertThat(Kdf.derive(pw, new byte[] {1}, new KdfParams(8, 1, 1))).isNotEqualTo(a);
        assertThat(Kdf.derive(pw, new byte[16], new KdfParams(16, 1, 1))).isNotEqualTo(a);
        assertThat(Kdf.derive(pw, new byte[16], new KdfParams(8, 2, 1))).isNotEqualTo(a);
        assertThat(Kdf.derive("pW".toCharArray(), new byte[16], new KdfParams(8, 1, 1))).isNotEqualTo(a);
    }

    @Test
    void kdfParams_default() {
        assertThat(KdfParams.DEFAULT).isEqualTo(new KdfParams(65536, 3, 1));
    }

    @ParameterizedTest
    @CsvSource({"7,1,1", "1048577,1,1", "8,0,1", "8,101,1", "8,1,0", "8,1,17", "-1,1,1"})
    void kdfParams_unreasonable_throwsIllegalArgument(int m, int t, int p) {
        assertThatThrownBy(() -> new KdfParams(m, t, p)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kdfParams_extremesAccepted() {
        new KdfParams(8, 1, 1);
        new KdfParams(KdfParams.MAX_MEMORY_KIB, 100, 16);
    }
}
