package dev.cairn.repository.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.codec.ByteWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PolicyTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Policy EXAMPLE =
            new Policy(3, 0, 7, 4, 0, 0, Duration.ofDays(30), Set.of("important"));

    private static Policy tags(String... tags) {
        return new Policy(0, 0, 0, 0, 0, 0, null, Set.of(tags));
    }

    private static ByteWriter header() {
        return new ByteWriter().u8(1).varint(1).varint(0).varint(0).varint(0).varint(0).varint(0).u64(0);
    }

    @Test
    void encode_pinsTheByteLayout() {
        assertThat(HEX.formatHex(EXAMPLE.encode())).isEqualTo("01" + "03" + "00" + "07" + "04" + "00" + "00"
                + "0000000000278d00" + "01" + "09" + HEX.formatHex("important".getBytes()));
        assertThat(HEX.formatHex(Policy.NONE.encode())).isEqualTo("01000000000000" + "0000000000000000" + "00");
        assertThat(HEX.formatHex(new Policy(300, 0, 0, 0, 0, 0, null, Set.of("b", "a")).encode()))
                .isEqualTo("01ac0200000000000000000000000000" + "02" + "0161" + "0162");
    }

    @Test
    void encodeDecode_roundTrips() throws Exception {
        List<Policy> policies = List.of(
                Policy.NONE,
                EXAMPLE,
                new Policy(1, 2, 3, 4, 5, 6, Durations.parse("1y6m"), Set.of("a", "b", "c")),
                new Policy(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                        Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(Long.MAX_VALUE), null),
                new Policy(0, 0, 0, 0, 0, 0, Duration.ofSeconds(90), null),
                tags("Z", "a", "é", "日本", "\uD83D\uDE00", "\uFB01", "x".repeat(1024)));
        for (Policy p : policies) {
            byte[] b = p.encode();
            Policy back = Policy.decode(b);
            assertThat(back).isEqualTo(p);
            assertThat(back.encode()).isEqualTo(b);
            assertThat(back.describe()).isEqualTo(p.describe());
        }
    }

    @Test
    void keepTags_areOrderedByUtf8Bytes() {
        // U+FB01 (EF AC 81 in UTF-8) sorts before U+1F600 (F0 9F 98 80), unlike in UTF-16.
        assertThat(tags("\uD83D\uDE00", "\uFB01", "é", "a", "Z").keepTags())
                .containsExactly("Z", "a", "é", "\uFB01", "\uD83D\uDE00");
    }

    @Test
    void constructor_normalisesUnusedRules() {
        Policy p = new Policy(0, 0, 0, 0, 0, 0, Duration.ZERO, Set.of());
        assertThat(p).isEqualTo(Policy.NONE);
        assertThat(p.isEmpty()).isTrue();
        assertThat(Policy.NONE.keepWithin()).isEqualTo(Duration.ZERO);
        assertThat(Policy.NONE.keepTags()).isEmpty();
        Set<String> mutable = new HashSet<>(Set.of("a"));
        Policy q = new Policy(0, 0, 0, 0, 0, 0, null, mutable);
        mutable.add("b");
        assertThat(q.keepTags()).containsExactly("a");
        assertThatThrownBy(() -> q.keepTags().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void isEmpty_anyRuleMakesItNonEmpty() {
        assertThat(new Policy(1, 0, 0, 0, 0, 0, null, null).isEmpty()).isFalse();
        assertThat(new Policy(0, 1, 0, 0, 0, 0, null, null).isEmpty()).isFalse();
        assertThat(new Policy(0, 0, 1, 0, 0, 0, null, null).isEmpty()).isFalse();
        assertThat(new Policy(0, 0, 0, 1, 0, 0, null, null).isEmpty()).isFalse();
        assertThat(new Policy(0, 0, 0, 0, 1, 0, null, null).isEmpty()).isFalse();
        assertThat(new Policy(0, 0, 0, 0, 0, 1, null, null).isEmpty()).isFalse();
        assertThat(new Policy(0, 0, 0, 0, 0, 0, Duration.ofSeconds(1), null).isEmpty()).isFalse();
        assertThat(tags("x").isEmpty()).isFalse();
    }

    @Test
    void constructor_invalidRules_areRejected() {
        assertThatThrownBy(() -> new Policy(-1, 0, 0, 0, 0, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep-last cannot be negative");
        assertThatThrownBy(() -> new Policy(0, 0, 0, 0, 0, -5, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep-yearly");
        assertThatThrownBy(() -> new Policy(0, 0, 0, 0, 0, 0, Duration.ofSeconds(-1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new Policy(0, 0, 0, 0, 0, 0, Duration.ofMillis(1500), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> tags(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> tags("bad\uD800"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid Unicode");
        assertThatThrownBy(() -> tags("x".repeat(1025)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024 bytes");
        assertThatThrownBy(() -> tags("é".repeat(513)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024 bytes");
        Set<String> withNull = new HashSet<>(Arrays.asList("a", null));
        assertThatThrownBy(() -> new Policy(0, 0, 0, 0, 0, 0, null, withNull))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void constructor_tagsBeyond64KiBOfEncoding_areRejected() throws Exception {
        Set<String> many = new HashSet<>();
        for (int i = 0; many.size() < 63; i++) {
            many.add(String.format("%04d", i) + "x".repeat(1020));
        }
        Policy fits = new Policy(0, 0, 0, 0, 0, 0, null, many);
        assertThat(fits.encode().length).isLessThanOrEqualTo(65_536);
        assertThat(Policy.decode(fits.encode())).isEqualTo(fits);
        many.add("9999" + "x".repeat(1020));
        many.add("9998" + "x".repeat(1020));
        assertThatThrownBy(() -> new Policy(0, 0, 0, 0, 0, 0, null, many))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 65536 bytes");
    }

    @Test
    void describe_namesTheUsedRules() {
        assertThat(EXAMPLE.describe()).isEqualTo("keep last 3, daily 7, weekly 4, within 30d, tags [important]");
        assertThat(new Policy(1, 2, 3, 4, 5, 6, Durations.parse("1y6m"), Set.of("b", "a")).describe())
                .isEqualTo("keep last 1, hourly 2, daily 3, weekly 4, monthly 5, yearly 6, within 1y180d, tags [a, b]");
        assertThat(new Policy(0, 0, 0, 0, 0, 0, Durations.parse("36h"), null).describe())
                .isEqualTo("keep within 1d12h");
        assertThat(new Policy(0, 0, 0, 0, 0, 0, Duration.ofSeconds(90), null).describe())
                .isEqualTo("keep within PT1M30S");
        assertThat(Policy.NONE.describe()).isEqualTo("keep everything (empty policy)");
    }

    @Test
    void decode_everyTruncation_isCorrupt() {
        byte[] b = new Policy(1, 200, 3, 4, 5, 6, Duration.ofDays(30), Set.of("a", "important")).encode();
        for (int len = 0; len < b.length; len++) {
            byte[] cut = Arrays.copyOf(b, len);
            assertThatThrownBy(() -> Policy.decode(cut)).as("length %d", len)
                    .isInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void decode_trailingBytes_isCorrupt() {
        byte[] b = Arrays.copyOf(EXAMPLE.encode(), EXAMPLE.encode().length + 1);
        assertThatThrownBy(() -> Policy.decode(b)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void decode_otherVersions_areCorrupt() {
        byte[] b = EXAMPLE.encode();
        b[0] = 2;
        assertThatThrownBy(() -> Policy.decode(b)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("version 2").hasMessageContaining("newer Cairn");
        b[0] = 0;
        assertThatThrownBy(() -> Policy.decode(b)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("version 0");
    }

    @Test
    void decode_outOfRangeValues_areCorrupt() {
        // A count of 2^31.
        byte[] bigCount = new ByteWriter().u8(1).varint(1L << 31).varint(0).varint(0).varint(0)
                .varint(0).varint(0).u64(0).varint(0).toByteArray();
        assertThatThrownBy(() -> Policy.decode(bigCount)).isInstanceOf(CorruptDataException.class);
        // A varint longer than 10 bytes.
        byte[] longVarint = HEX.parseHex("01ffffffffffffffffffffff01");
        assertThatThrownBy(() -> Policy.decode(longVarint)).isInstanceOf(CorruptDataException.class);
        // keep-within of 2^63 seconds or more.
        byte[] bigWithin = new ByteWriter().u8(1).varint(0).varint(0).varint(0).varint(0).varint(0)
                .varint(0).u64(-1).varint(0).toByteArray();
        assertThatThrownBy(() -> Policy.decode(bigWithin)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("keep-within");
        // More tags than allowed, with nothing behind the count.
        byte[] manyTags = header().varint(65_537).toByteArray();
        assertThatThrownBy(() -> Policy.decode(manyTags)).isInstanceOf(CorruptDataException.class);
        // A count that fits but is not backed by bytes.
        byte[] shortTags = header().varint(65_536).toByteArray();
        assertThatThrownBy(() -> Policy.decode(shortTags)).isInstanceOf(CorruptDataException.class);
        // More than 64 KiB in all.
        byte[] huge = Arrays.copyOf(Policy.NONE.encode(), 65_537);
        assertThatThrownBy(() -> Policy.decode(huge)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("65537 bytes");
    }

    @Test
    void decode_badTags_areCorrupt() {
        byte[] unsorted = header().varint(2).string("b").string("a").toByteArray();
        assertThatThrownBy(() -> Policy.decode(unsorted)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("out of order or twice");
        byte[] twice = header().varint(2).string("a").string("a").toByteArray();
        assertThatThrownBy(() -> Policy.decode(twice)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("out of order or twice");
        // Sorted as UTF-16, not as UTF-8.
        byte[] utf16Order = header().varint(2).string("\uD83D\uDE00").string("\uFB01").toByteArray();
        assertThatThrownBy(() -> Policy.decode(utf16Order)).isInstanceOf(CorruptDataException.class);
        byte[] empty = header().varint(1).string("").toByteArray();
        assertThatThrownBy(() -> Policy.decode(empty)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("empty tag");
        byte[] notUtf8 = header().varint(1).bytes(new byte[] {(byte) 0xc3, 0x28}).toByteArray();
        assertThatThrownBy(() -> Policy.decode(notUtf8)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("UTF-8");
        byte[] surrogate = header().varint(1).bytes(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}).toByteArray();
        assertThatThrownBy(() -> Policy.decode(surrogate)).isInstanceOf(CorruptDataException.class);
        byte[] tooLong = header().varint(1).string("x".repeat(1025)).toByteArray();
        assertThatThrownBy(() -> Policy.decode(tooLong)).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_randomGarbage_isCorruptOrAValidPolicy() {
        SplittableRandom r = new SplittableRandom(7);
        byte[] valid = EXAMPLE.encode();
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[r.nextInt(64)];
                for (int j = 0; j < b.length; j++) {
                    b[j] = (byte) r.nextInt(256);
                }
            } else {
                b = valid.clone();
                for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            try {
                Policy p = Policy.decode(b);
                assertThat(Policy.decode(p.encode())).isEqualTo(p);
                decoded++;
            } catch (CorruptDataException expected) {
                // Fine: garbage is reported as corrupt, never as another exception.
            }
        }
        assertThat(decoded).isGreaterThan(0);
    }
}
