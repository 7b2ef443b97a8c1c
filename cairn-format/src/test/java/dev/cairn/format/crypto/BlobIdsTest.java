package dev.cairn.format.crypto;

import static dev.cairn.format.Fixtures.ascii;
import static dev.cairn.format.Fixtures.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import org.junit.jupiter.api.Test;

class BlobIdsTest {

    /** {@code printf abc | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f}. */
    static final String GOLDEN_ABC = "f0133729c4163dede81e21cd47839256da58171238c8a0d874397c73b14e1e47";

    @Test
    void of_goldenVector() {
        assertThat(new BlobIds(seq(0, 32)).of(ascii("abc")).hex()).isEqualTo(GOLDEN_ABC);
    }

    @Test
    void of_rfc4231TestCase2() {
        assertThat(new BlobIds(ascii("Jefe")).of(ascii("what do ya want for nothing?")).hex())
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void of_subRangeEqualsWhole() {
        BlobIds ids = new BlobIds(seq(0, 32));
        assertThat(ids.of(ascii("xxabcyy"), 2, 3).hex()).isEqualTo(GOLDEN_ABC);
        // repeated use of the thread's Mac must not carry state over
        assertThat(ids.of(ascii("abc")).hex()).isEqualTo(GOLDEN_ABC);
    }

    @Test
    void of_dependsOnKey() {
        byte[] key = seq(0, 32);
        BlobIds ids = new BlobIds(key);
        key[0] = 1; // the constructor copied the key
        assertThat(ids.of(ascii("abc")).hex()).isEqualTo(GOLDEN_ABC);
        assertThat(new BlobIds(key).of(ascii("abc")).hex()).isNotEqualTo(GOLDEN_ABC);
    }

    /** HMAC(key 0x00..0x1f, "group" || 0x00 || "abc"); cross-checked with Python's hmac. */
    static final String GOLDEN_KEYED = "2124d32e33113992489e0509389055a423ae0b38c00108d227c9a1f49b6cb1ce";

    @Test
    void keyed_goldenVector() {
        assertThat(BlobIds.keyed(seq(0, 32), "group", ascii("abc")).hex()).isEqualTo(GOLDEN_KEYED);
        assertThat(BlobIds.keyed(seq(0, 32), "grou", ascii("p\0abc")))
                .isNotEqualTo(BlobIds.keyed(seq(0, 32), "group", ascii("abc")));
    }

    @Test
    void of_isThreadSafe() throws Exception {
        BlobIds ids = new BlobIds(seq(0, 32));
        Id expected = Id.parse(GOLDEN_ABC);
        Thread[] threads = new Thread[4];
        boolean[] ok = new boolean[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int n = t;
            threads[t] = new Thread(() -> {
                boolean all = true;
                for (int i = 0; i < 2000; i++) {
                    all &= ids.of(ascii("abc")).equals(expected);
                }
                ok[n] = all;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ok).containsOnly(true);
    }
}
