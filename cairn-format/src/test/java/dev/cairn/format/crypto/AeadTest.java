package dev.cairn.format.crypto;

import static dev.cairn.format.Fixtures.ascii;
import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Fixtures;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class AeadTest {

    /**
     * Cairn's own vector: key 0x00..0x1f, nonce 0x00..0x0b, plaintext "cairn golden vector", AAD
     * "aad". Reproduced independently with OpenSSL's AES-GCM (Python cryptography) and with Bouncy
     * Castle's GCM below. Never change it: every sealed byte in every repository depends on it.
     */
    static final String GOLDEN = "000102030405060708090a0b"
            + "2463bf69abc5a574e125f2e5919f1d0ef7b9f5"
            + "e98686c7141379b89d6aec90c6a4d1cb";

    /**
     * The JDK's GCM refuses to encrypt twice in a row with the same key and nonce, and Aead keeps
     * one Cipher per thread: seal something else first so fixed-nonce vectors do not depend on
     * which test ran before.
     */
    private static void forgetLastNonce() {
        Aead.seal(Aead.randomBytes(32), new byte[0], null);
    }

    private static byte[] nistSeal(String key, String iv, String pt, String aad) {
        forgetLastNonce();
        byte[] p = hex(pt);
        return Aead.seal(hex(key), hex(iv), p, 0, p.length, aad.isEmpty() ? null : hex(aad));
    }

    @Test
    void seal_gcmSpecTestCase13_emptyMessage() {
        assertThat(hex(nistSeal("00".repeat(32), "00".repeat(12), "", "")))
                .isEqualTo("00".repeat(12) + "530f8afbc74536b9a963b4f1c4cb738b");
    }

    @Test
    void seal_gcmSpecTestCase14_zeroBlock() {
        assertThat(hex(nistSeal("00".repeat(32), "00".repeat(12), "00".repeat(16), "")))
                .isEqualTo("00".repeat(12) + "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919");
    }

    /** McGrew and Viega, "The Galois/Counter Mode of Operation", test case 16: AES-256, AAD. */
    @Test
    void seal_gcmSpecTestCase16_aes256WithAad() throws Exception {
        String key = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
        String iv = "cafebabefacedbaddecaf888";
        String pt = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
        String aad = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
        String ct = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
        String tag = "76fc6ece0f4e1768cddf8853bb2d551b";
        byte[] sealed = nistSeal(key, iv, pt, aad);
        assertThat(hex(sealed)).isEqualTo(iv + ct + tag);
        assertThat(hex(Aead.open(hex(key), sealed, hex(aad), "tc16"))).isEqualTo(pt);
    }

    @Test
    void seal_goldenVector() {
        forgetLastNonce();
        byte[] pt = ascii("cairn golden vector");
        byte[] sealed = Aead.seal(seq(0, 32), seq(0, 12), pt, 0, pt.length, ascii("aad"));
        assertThat(hex(sealed)).isEqualTo(GOLDEN);
    }

    @Test
    void seal_sameKeyAndNonceTwiceInARow_isRefusedByTheJdk() {
        // Documents the trap forgetLastNonce() avoids; real seals use random nonces.
        forgetLastNonce();
        byte[] pt = ascii("x");
        Aead.seal(seq(0, 32), seq(0, 12), pt, 0, 1, null);
        assertThatThrownBy(() -> Aead.seal(seq(0, 32), seq(0, 12), pt, 0, 1, null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void goldenVector_matchesBouncyCastleGcm() throws Exception {
        GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(true, new AEADParameters(new KeyParameter(seq(0, 32)), 128, seq(0, 12), ascii("aad")));
        byte[] pt = ascii("cairn golden vector");
        byte[] out = new byte[gcm.getOutputSize(pt.length)];
        int n = gcm.processBytes(pt, 0, pt.length, out, 0);
        gcm.doFinal(out, n);
        assertThat(hex(seq(0, 12)) + hex(out)).isEqualTo(GOLDEN);
    }

    @Test
    void open_goldenVector() throws Exception {
        assertThat(Aead.open(seq(0, 32), hex(GOLDEN), ascii("aad"), "golden")).isEqualTo(ascii("cairn golden vector"));
    }

    @Test
    void open_subRangeOfBuffer() throws Exception {
        byte[] buf = new byte[5 + GOLDEN.length() / 2 + 3];
        System.arraycopy(hex(GOLDEN), 0, buf, 5, GOLDEN.length() / 2);
        assertThat(Aead.open(seq(0, 32), buf, 5, GOLDEN.length() / 2, ascii("aad"), "golden"))
                .isEqualTo(ascii("cairn golden vector"));
    }

    @Test
    void seal_randomNonce_roundTripsAndDiffers() throws Exception {
        byte[] key = Aead.randomBytes(32);
        byte[] pt = ascii("same message");
        byte[] a = Aead.seal(key, pt, null);
        byte[] b = Aead.seal(key, pt, null);
        assertThat(a).hasSize(pt.length + Aead.OVERHEAD).isNotEqualTo(b);
        assertThat(Aead.open(key, a, null, "a")).isEqualTo(pt);
        assertThat(Aead.open(key, b, null, "b")).isEqualTo(pt);
    }

    @Test
    void seal_emptyPlaintext_roundTrips() throws Exception {
        byte[] key = Aead.randomBytes(32);
        byte[] sealed = Aead.seal(key, new byte[0], ascii("x"));
        assertThat(sealed).hasSize(Aead.OVERHEAD);
        assertThat(Aead.open(key, sealed, ascii("x"), "e")).isEmpty();
    }

    @Test
    void open_wrongKey_isCorrupt() {
        byte[] wrong = seq(1, 32);
        assertThatThrownBy(() -> Aead.open(wrong, hex(GOLDEN), ascii("aad"), "the blob"))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("the blob failed authentication");
    }

    @Test
    void open_wrongAad_isCorrupt() {
        assertThatThrownBy(() -> Aead.open(seq(0, 32), hex(GOLDEN), ascii("aae"), "x"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Aead.open(seq(0, 32), hex(GOLDEN), null, "x"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void open_anyFlippedByte_isCorrupt() {
        byte[] golden = hex(GOLDEN);
        for (int i = 0; i < golden.length; i++) {
            byte[] bad = Fixtures.flipped(golden, i);
            assertThat(catchThrowable(() -> Aead.open(seq(0, 32), bad, ascii("aad"), "x")))
                    .as("byte %d", i).isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void open_truncated_isCorrupt() {
        byte[] golden = hex(GOLDEN);
        for (int n = 0; n < golden.length; n++) {
            byte[] bad = Arrays.copyOf(golden, n);
            assertThat(catchThrowable(() -> Aead.open(seq(0, 32), bad, ascii("aad"), "x")))
                    .as("length %d", n).isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void open_rangeBeyondBuffer_isCorrupt() {
        byte[] golden = hex(GOLDEN);
        assertThatThrownBy(() -> Aead.open(seq(0, 32), golden, 0, golden.length + 1, ascii("aad"), "x"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Aead.open(seq(0, 32), golden, 20, golden.length, ascii("aad"), "x"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Aead.open(seq(0, 32), new byte[5], 0, 40, null, "x"))
                .isExactlyInstanceOf(CorruptDataException.class);
    }
}
