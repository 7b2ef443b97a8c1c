package dev.cairn.format.chunker;

import static dev.cairn.format.chunker.TestData.KIB;
import static dev.cairn.format.chunker.TestData.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkerTest {
    private static final Chunker DEFAULT = new Chunker(ChunkerParams.DEFAULT, TestData.vectorGear());
    private static final Chunker SMALL = new Chunker(TestData.SMALL, TestData.vectorGear());

    // ---- Golden vectors. These pin the repository format: if one fails, boundaries moved and
    // existing repositories would stop deduplicating. Never "fix" them by pasting new values.

    @Test
    void defaultMasks() {
        assertThat(String.format("%016x", DEFAULT.maskStrict())).isEqualTo("fffffc0000000000");
        assertThat(String.format("%016x", DEFAULT.maskLoose())).isEqualTo("ffffc00000000000");
        assertThat(Long.bitCount(SMALL.maskStrict())).isEqualTo(15);
        assertThat(Long.bitCount(SMALL.maskLoose())).isEqualTo(11);
    }

    @Test
    void golden40MiBDefault() {
        List<Integer> lengths = ChunkStream.lengths(TestData.generated(40 * MIB), DEFAULT);

        assertThat(lengths).containsExactly(
                1100859, 1175152, 1720784, 1277224, 1716473, 1406587, 1188009, 1233136, 1257080,
                1206205, 610477, 1060984, 1228922, 1158363, 1166641, 1316871, 1222415, 1359186,
                1054403, 1049534, 1278262, 1549435, 1086085, 1050231, 1488184, 1149871, 804028,
                1445006, 1056148, 1494198, 1295505, 1230975, 1152912, 1117733, 235162);
        assertThat(TestData.lengthsDigest(lengths))
                .isEqualTo("99e320c9bca06169e11d2e926b0a082f64ceac5878faff4f8f5a2a83c22ad8cd");
    }

    @Test
    void golden1MiBSmall() {
        List<Integer> lengths = ChunkStream.lengths(TestData.generated(MIB), SMALL);

        assertThat(lengths).hasSize(117);
        assertThat(lengths.subList(0, 20)).containsExactly(
                8662, 12278, 2966, 8313, 17929, 9703, 8382, 10122, 11374, 11554,
                11408, 8464, 14323, 9453, 8585, 12239, 8937, 9027, 12209, 8707);
        assertThat(TestData.lengthsDigest(lengths))
                .isEqualTo("7c0de573ef5b50c1b8e8ffed52a0de5ffdcf3e843226fe0bf83820e444b39d5a");
    }

    /**
     * Tiny parameters make cuts right at the mask switch common (a length of avg + 1 is the first
     * byte hashed with the loose mask), so this vector pins the rule's off-by-one choices.
     */
    @Test
    void golden64KiBTiny() {
        Chunker tiny = new Chunker(new ChunkerParams(16, 64, 256), TestData.vectorGear());
        List<Integer> lengths = ChunkStream.lengths(TestData.generated(64 * KIB), tiny);

        assertThat(lengths).hasSize(891);
        assertThat(lengths.subList(0, 20)).containsExactly(
                66, 83, 36, 68, 66, 80, 68, 91, 102, 37, 72, 84, 29, 65, 96, 72, 76, 66, 67, 69);
        assertThat(TestData.lengthsDigest(lengths))
                .isEqualTo("36efe65ad3d28842e8c85eb4d16eca1e5fd12cbd82685db0ae84186a0b4b57ca");
    }

    @Test
    void goldenAllZero16MiB() {
        assertThat(ChunkStream.lengths(new byte[16 * MIB], DEFAULT)).containsExactly(8 * MIB, 8 * MIB);
        // Not a multiple of max: only the last chunk is short.
        assertThat(ChunkStream.lengths(new byte[16 * MIB + 5], DEFAULT))
                .containsExactly(8 * MIB, 8 * MIB, 5);
    }

    // ---- Properties.

    static Stream<Arguments> paramsAndSizes() {
        return Stream.of(
                Arguments.of(ChunkerParams.DEFAULT, 40 * MIB),
                Arguments.of(TestData.SMALL, 8 * MIB),
                Arguments.of(new ChunkerParams(64, 256, 1024), 2 * MIB),
                // max barely above avg: many forced cuts.
                Arguments.of(new ChunkerParams(100, 4096, 4100), 2 * MIB));
    }

    @ParameterizedTest
    @MethodSource("paramsAndSizes")
    void chunksAreWithinBoundsAndCoverInput(ChunkerParams params, int size) {
        byte[] data = TestData.random(size + 12345, 7);
        List<Integer> lengths = ChunkStream.lengths(data, new Chunker(params, TestData.vectorGear()));

        assertThat(lengths.stream().mapToLong(Integer::longValue).sum()).isEqualTo(data.length);
        assertThat(lengths.subList(0, lengths.size() - 1))
                .allSatisfy(n -> assertThat(n).isBetween(params.min() + 1, params.max()));
        assertThat(lengths.get(lengths.size() - 1)).isBetween(1, params.max());
    }

    @Test
    void averageOnRandomDataIsNearAvg() {
        byte[] data = TestData.random(64 * MIB, 11);
        List<Integer> lengths = ChunkStream.lengths(data, DEFAULT);

        double mean = (double) data.length / lengths.size();
        assertThat(mean).isBetween(0.6 * MIB, 1.6 * MIB);
    }

    @Test
    void insertionInTheMiddleChangesFewChunks() {
        byte[] data = TestData.random(40 * MIB, 13);
        byte[] edited = insert(data, 20 * MIB + 777, TestData.random(100, 14));

        assertThat(newChunks(data, edited, DEFAULT)).isBetween(1, 3);
    }

    @Test
    void smallEditsResynchronise() {
        byte[] data = TestData.random(4 * MIB, 17);
        SplittableRandom rnd = new SplittableRandom(18);
        for (int k = 0; k < 20; k++) {
            int at = rnd.nextInt(data.length - 1000);
            byte[] edited = k % 2 == 0
                    ? insert(data, at, TestData.random(1 + rnd.nextInt(200), k))
                    : delete(data, at, 1 + rnd.nextInt(200));
            assertThat(newChunks(data, edited, SMALL)).as("edit %d at %d", k, at).isBetween(1, 3);
        }
    }

    @Test
    void boundariesDependOnTheSeed() {
        byte[] data = TestData.generated(MIB);
        byte[] seed = TestData.vectorSeed();
        seed[0] = 42;

        assertThat(ChunkStream.lengths(data, new Chunker(TestData.SMALL, GearTable.derive(seed))))
                .isNotEqualTo(ChunkStream.lengths(data, SMALL));
    }

    @Test
    void firstMinBytesAreNotHashed() {
        byte[] data = TestData.generated(MIB);
        int first = SMALL.cut(data, 0, data.length, true);
        byte[] changed = data.clone();
        for (int i = 0; i < TestData.SMALL.min(); i++) {
            changed[i] = (byte) ~changed[i];
        }

        assertThat(SMALL.cut(changed, 0, changed.length, true)).isEqualTo(first);
        // Whereas the last byte of the chunk is hashed and decides the cut.
        changed[first - 1] ^= 1;
        assertThat(SMALL.cut(changed, 0, changed.length, true)).isNotEqualTo(first);
    }

    // ---- cut() contract.

    @Test
    void needsMoreDataOnlyBelowMax() {
        byte[] zeros = new byte[64 * KIB];

        assertThat(SMALL.cut(zeros, 0, 0, false)).isEqualTo(-1);
        assertThat(SMALL.cut(zeros, 0, 2 * KIB, false)).isEqualTo(-1);
        assertThat(SMALL.cut(zeros, 0, 64 * KIB - 1, false)).isEqualTo(-1);
        assertThat(SMALL.cut(zeros, 0, 64 * KIB, false)).isEqualTo(64 * KIB);
    }

    @Test
    void atEofReturnsTheRemainderWhenNoCut() {
        byte[] zeros = new byte[64 * KIB];

        assertThat(SMALL.cut(zeros, 0, 0, true)).isZero();
        assertThat(SMALL.cut(zeros, 5, 1, true)).isEqualTo(1);
        assertThat(SMALL.cut(zeros, 0, 2 * KIB, true)).isEqualTo(2 * KIB);
        assertThat(SMALL.cut(zeros, 0, 30 * KIB, true)).isEqualTo(30 * KIB);
    }

    @Test
    void resultIsIndependentOfOffsetAndLaterData() {
        byte[] data = TestData.random(4 * MIB, 19);
        int off = 0;
        while (off < data.length) {
            int expected = SMALL.cut(data, off, data.length - off, true);
            int avail = data.length - off;
            // Growing views of the same chunk: either "need more" or the same answer.
            for (int len = 0; len <= Math.min(avail, 64 * KIB); len += 997) {
                int got = SMALL.cut(data, off, len, len == avail);
                if (got != -1) {
                    assertThat(got).isEqualTo(expected);
                }
            }
            byte[] shifted = new byte[expected + 3];
            System.arraycopy(data, off, shifted, 3, expected);
            assertThat(SMALL.cut(shifted, 3, expected, true)).isEqualTo(expected);
            off += expected;
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new Chunker(TestData.SMALL, new long[255]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SMALL.cut(new byte[10], 5, 6, true))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SMALL.cut(new byte[10], -1, 2, true))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void gearTableIsCopied() {
        long[] gear = TestData.vectorGear();
        Chunker c = new Chunker(TestData.SMALL, gear);
        byte[] data = TestData.generated(MIB);
        List<Integer> before = ChunkStream.lengths(data, c);

        Arrays.fill(gear, 0);

        assertThat(ChunkStream.lengths(data, c)).isEqualTo(before);
    }

    // ---- Helpers.

    /** Chunks of {@code edited} whose content does not occur among the chunks of {@code data}. */
    private static int newChunks(byte[] data, byte[] edited, Chunker c) {
        Set<String> known = new HashSet<>();
        int off = 0;
        for (int n : ChunkStream.lengths(data, c)) {
            known.add(digest(data, off, n));
            off += n;
        }
        int fresh = 0;
        off = 0;
        for (int n : ChunkStream.lengths(edited, c)) {
            if (!known.contains(digest(edited, off, n))) {
                fresh++;
            }
            off += n;
        }
        return fresh;
    }

    private static String digest(byte[] b, int off, int len) {
        MessageDigest md = TestData.sha256();
        md.update(b, off, len);
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] insert(byte[] data, int at, byte[] extra) {
        byte[] out = new byte[data.length + extra.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(data, at, out, at + extra.length, data.length - at);
        return out;
    }

    private static byte[] delete(byte[] data, int at, int count) {
        byte[] out = new byte[data.length - count];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(data, at + count, out, at, data.length - at - count);
        return out;
    }
}
