package dev.cairn.format.crypto;

import static dev.cairn.format.Fixtures.ascii;
import static dev.cairn.format.Fixtures.ephemeralSeed;
import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.otherPrivateKey;
import static dev.cairn.format.Fixtures.privateKey;
import static dev.cairn.format.Fixtures.publicKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HpkeTest {

    /** X25519 public key of the private key 0x20..0x3f (cross-checked with OpenSSL via Python). */
    static final String PUBLIC_KEY = "358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254";

    /**
     * "cairn golden vector" sealed to {@link #PUBLIC_KEY} with info "cairn golden info", AAD "aad",
     * ephemeral seed 0x80..0x9f. Reproduced by an independent RFC 9180 implementation (Python,
     * OpenSSL's X25519 and AES-GCM) that itself reproduces RFC 9180 appendix A.1.1.
     */
    static final String GOLDEN = "7af03df159e2d75751c1a88eb5a9e87988f138dce7596ebda3ad7f0bb04a8734"
            + "2f23c7dafad137f778a469b64df48031f890f6"
            + "27c6930f283a6cb1aa229d2a774135b4";

    /** The same with empty AAD; pyca/cryptography's own HPKE (AES-256-GCM suite) opens it. */
    static final String GOLDEN_NO_AAD = "7af03df159e2d75751c1a88eb5a9e87988f138dce7596ebda3ad7f0bb04a8734"
            + "2f23c7dafad137f778a469b64df48031f890f6"
            + "18298ec552403e46fe25827772306118";

    private static final byte[] INFO = ascii("cairn golden info");
    private static final byte[] PLAIN = ascii("cairn golden vector");

    @Test
    void publicKeyOf_goldenPrivateKey() {
        assertThat(hex(publicKey())).isEqualTo(PUBLIC_KEY);
    }

    /**
     * RFC 9180 has no vector for this suite (its X25519 vectors use AES-128-GCM and ChaCha20), but
     * the KEM is shared: appendix A.1's key pairs and encapsulation must come out of Cairn's code.
     */
    @Test
    void kem_matchesRfc9180AppendixA1() throws Exception {
        byte[] skRm = hex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
        byte[] pkRm = hex("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d");
        byte[] ikmE = hex("7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234");
        byte[] pkEm = hex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431");
        byte[] info = hex("4f6465206f6e2061204772656369616e2055726e");
        assertThat(Hpke.publicKeyOf(skRm)).isEqualTo(pkRm);
        byte[] sealed = Hpke.seal(pkRm, info, ascii("Count-0"), ascii("Beauty is truth, truth beauty"), ikmE);
        assertThat(Arrays.copyOf(sealed, Hpke.ENC_LENGTH)).isEqualTo(pkEm);
        assertThat(Hpke.open(skRm, info, ascii("Count-0"), sealed, "a1")).isEqualTo(ascii("Beauty is truth, truth beauty"));
    }

    @Test
    void seal_goldenVector() {
        assertThat(hex(Hpke.seal(publicKey(), INFO, ascii("aad"), PLAIN, ephemeralSeed()))).isEqualTo(GOLDEN);
        assertThat(hex(Hpke.seal(publicKey(), INFO, new byte[0], PLAIN, ephemeralSeed()))).isEqualTo(GOLDEN_NO_AAD);
    }

    @Test
    void open_goldenVector() throws Exception {
        assertThat(Hpke.open(privateKey(), INFO, ascii("aad"), hex(GOLDEN), "golden")).isEqualTo(PLAIN);
        assertThat(Hpke.open(privateKey(), INFO, new byte[0], hex(GOLDEN_NO_AAD), "golden")).isEqualTo(PLAIN);
    }

    @Test
    void seal_randomEphemeral_roundTripsAndDiffers() throws Exception {
        byte[][] pair = Hpke.generateKeyPair();
        assertThat(pair[0]).hasSize(Hpke.KEY_LENGTH);
        assertThat(Hpke.publicKeyOf(pair[0])).isEqualTo(pair[1]);
        byte[] a = Hpke.seal(pair[1], INFO, ascii("aad"), PLAIN);
        byte[] b = Hpke.seal(pair[1], INFO, ascii("aad"), PLAIN);
        assertThat(a).hasSize(PLAIN.length + Hpke.OVERHEAD).isNotEqualTo(b);
        assertThat(Hpke.open(pair[0], INFO, ascii("aad"), a, "a")).isEqualTo(PLAIN);
        assertThat(Hpke.open(pair[0], INFO, ascii("aad"), b, "b")).isEqualTo(PLAIN);
    }

    @Test
    void open_anotherRepositorysKey_isCorrupt() {
        assertThatThrownBy(() -> Hpke.open(otherPrivateKey(), INFO, ascii("aad"), hex(GOLDEN), "snapshot x"))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("snapshot x").hasMessageContaining("another repository's key");
    }

    @Test
    void open_wrongInfoOrAad_isCorrupt() {
        assertThatThrownBy(() -> Hpke.open(privateKey(), ascii("other info"), ascii("aad"), hex(GOLDEN), "x"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Hpke.open(privateKey(), INFO, ascii("aae"), hex(GOLDEN), "x"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void open_anyFlippedByte_isCorrupt() {
        byte[] golden = hex(GOLDEN);
        for (int i = 0; i < golden.length; i++) {
            byte[] bad = Fixtures.flipped(golden, i);
            assertThat(catchThrowable(() -> Hpke.open(privateKey(), INFO, ascii("aad"), bad, "x")))
                    .as("byte %d", i).isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void open_truncated_isCorrupt() {
        byte[] golden = hex(GOLDEN);
        for (int n = 0; n < golden.length; n++) {
            byte[] bad = Arrays.copyOf(golden, n);
            assertThat(catchThrowable(() -> Hpke.open(privateKey(), INFO, ascii("aad"), bad, "x")))
                    .as("length %d", n).isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    /** Low-order X25519 points make the shared secret all zeros; a hostile file may carry one. */
    @Test
    void open_lowOrderEncapsulation_isCorrupt() {
        String[] lowOrder = {
            "00".repeat(32),
            "01" + "00".repeat(31),
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        };
        for (String enc : lowOrder) {
            byte[] bad = hex(GOLDEN);
            System.arraycopy(hex(enc), 0, bad, 0, Hpke.ENC_LENGTH);
            assertThat(catchThrowable(() -> Hpke.open(privateKey(), INFO, ascii("aad"), bad, "x")))
                    .as(enc).isExactlyInstanceOf(CorruptDataException.class);
        }
    }
}
