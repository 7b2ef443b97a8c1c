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
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    // Aead opens by AES-CTR plus re-sealing, in slices (see its class comment); the tests below
    // hold it to the JDK's own GCM at sizes around the block and the slice boundaries.

    private static final int MIB = 1 << 20;

    static IntStream sizes() {
        int s = Aead.SLICE;
        return IntStream.of(0, 1, 15, 16, 17, 4095, s - 1, s, s + 1, 2 * s + 5, MIB, MIB + 13);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** {@code nonce || ciphertext || tag} from the JDK's GCM in one doFinal call. */
    private static byte[] jdkSeal(byte[] key, byte[] nonce, byte[] pt, byte[] aad) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        if (aad != null) {
            c.updateAAD(aad);
        }
        byte[] ct = c.doFinal(pt);
        byte[] out = Arrays.copyOf(nonce, nonce.length + ct.length);
        System.arraycopy(ct, 0, out, nonce.length, ct.length);
        return out;
    }

    private static byte[] jdkOpen(byte[] key, byte[] sealed, byte[] aad) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
        if (aad != null) {
            c.updateAAD(aad);
        }
        return c.doFinal(sealed, 12, sealed.length - 12);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void open_readsWhatTheJdksGcmSealed(int size) throws Exception {
        byte[] key = random(32, size);
        byte[] nonce = random(12, size + 1);
        byte[] pt = random(size, size + 2);
        byte[] aad = ascii("aad " + size);
        byte[] sealed = jdkSeal(key, nonce, pt, aad);
        assertThat(Aead.open(key, sealed, aad, "m")).isEqualTo(pt);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void seal_isTheJdksGcmByteForByte_andTheJdkOpensIt(int size) throws Exception {
        byte[] key = random(32, size + 3);
        byte[] nonce = random(12, size + 4);
        byte[] pt = random(size + 7, size + 5);
        forgetLastNonce();
        byte[] sealed = Aead.seal(key, nonce, pt, 7, size, ascii("x"));
        byte[] expected = jdkSeal(key, nonce, Arrays.copyOfRange(pt, 7, 7 + size), ascii("x"));
        assertThat(sealed).isEqualTo(expected);
        assertThat(jdkOpen(key, sealed, ascii("x"))).isEqualTo(Arrays.copyOfRange(pt, 7, 7 + size));
        assertThat(Aead.open(key, sealed, ascii("x"), "m")).isEqualTo(Arrays.copyOfRange(pt, 7, 7 + size));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void open_rejectsEveryKindOfTampering(int size) {
        byte[] key = random(32, size + 6);
        byte[] aad = ascii("aad");
        byte[] sealed = Aead.seal(key, random(size, size + 8), aad);
        int ctEnd = sealed.length - Aead.TAG_LENGTH;
        if (size > 0) {
            assertCorrupt(key, Fixtures.flipped(sealed, Aead.NONCE_LENGTH), aad, "first ciphertext byte");
            assertCorrupt(key, Fixtures.flipped(sealed, ctEnd - 1), aad, "last ciphertext byte");
            assertCorrupt(key, Fixtures.flipped(sealed, Aead.NONCE_LENGTH + size / 2), aad, "middle ciphertext byte");
        }
        assertCorrupt(key, Fixtures.flipped(sealed, ctEnd), aad, "first tag byte");
        assertCorrupt(key, Fixtures.flipped(sealed, sealed.length - 1), aad, "last tag byte");
        assertCorrupt(key, Fixtures.flipped(sealed, 0), aad, "first nonce byte");
        assertCorrupt(key, Fixtures.flipped(sealed, Aead.NONCE_LENGTH - 1), aad, "last nonce byte");
        assertCorrupt(key, sealed, ascii("aae"), "other AAD");
        assertCorrupt(key, sealed, null, "no AAD");
        assertCorrupt(Fixtures.flipped(key, 31), sealed, aad, "other key");
        // A message shortened by whole blocks keeps a well-formed layout but not its tag.
        if (size >= 32) {
            byte[] shorter = Arrays.copyOf(sealed, sealed.length - 16);
            System.arraycopy(sealed, ctEnd, shorter, shorter.length - 16, 16);
            assertCorrupt(key, shorter, aad, "ciphertext shortened by a block");
        }
    }

    private static void assertCorrupt(byte[] key, byte[] sealed, byte[] aad, String as) {
        Throwable t = catchThrowable(() -> Aead.open(key, sealed, aad, "the blob"));
        assertThat(t).as(as).isExactlyInstanceOf(CorruptDataException.class)
                .hasMessage("the blob failed authentication: it was damaged or altered")
                .hasCauseInstanceOf(AEADBadTagException.class);
    }

    @Test
    void open_sameMessageTwiceInARow_works() throws Exception {
        // Re-sealing to check the tag reuses the message's key and nonce; the JDK's guard against
        // encrypting twice under them must not turn a second read of a blob into an error.
        byte[] key = Aead.randomBytes(32);
        byte[] pt = random(3 * Aead.SLICE + 1, 9);
        byte[] sealed = Aead.seal(key, pt, null);
        for (int i = 0; i < 3; i++) {
            assertThat(Aead.open(key, sealed, null, "m")).isEqualTo(pt);
        }
        assertThat(Aead.open(seq(0, 32), hex(GOLDEN), ascii("aad"), "golden")).isEqualTo(ascii("cairn golden vector"));
        assertThat(Aead.open(seq(0, 32), hex(GOLDEN), ascii("aad"), "golden")).isEqualTo(ascii("cairn golden vector"));
        assertCorrupt(seq(0, 32), Fixtures.flipped(hex(GOLDEN), 20), ascii("aad"), "tampered after two good reads");
        assertThat(Aead.open(seq(0, 32), hex(GOLDEN), ascii("aad"), "golden")).isEqualTo(ascii("cairn golden vector"));
    }

    @Test
    void open_largeSubRangeOfBuffer() throws Exception {
        byte[] key = Aead.randomBytes(32);
        byte[] pt = random(MIB + 13, 10);
        byte[] sealed = Aead.seal(key, pt, ascii("a"));
        byte[] buf = new byte[3 + sealed.length + 5];
        System.arraycopy(sealed, 0, buf, 3, sealed.length);
        assertThat(Aead.open(key, buf, 3, sealed.length, ascii("a"), "m")).isEqualTo(pt);
    }

    @Test
    void openAndSeal_onManyThreads_agreeWithTheJdk() throws Exception {
        byte[] key = Aead.randomBytes(32);
        IntStream.range(0, 64).parallel().forEach(i -> {
            try {
                byte[] pt = random(i * 1000 + i, i);
                byte[] sealed = Aead.seal(key, pt, ascii("p"));
                assertThat(jdkOpen(key, sealed, ascii("p"))).isEqualTo(pt);
                assertThat(Aead.open(key, sealed, ascii("p"), "m")).isEqualTo(pt);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
