package dev.cairn.repository.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    private static final long DAY = 86_400;

    @ParameterizedTest(name = "{0} = {1} s")
    @CsvSource({
        "36h, 129600",
        "7d, 604800",
        "2w, 1209600",
        "1y6m, 47088000",          // 365 + 180 days
        "1y2m3w4d5h, 38898000",    // 365 + 60 + 21 + 4 days, 5 hours
        "1y, 31536000",
        "1m, 2592000",
        "0d, 0",
        "007d, 604800",
        "1w1h, 608400",
    })
    void parse_validInput_givesFixedLengthUnits(String s, long seconds) {
        assertThat(Durations.parse(s)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void parse_unitLengths_areFixed() {
        assertThat(Durations.parse("1y")).isEqualTo(Duration.ofDays(365));
        assertThat(Durations.parse("1m")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.parse("1w")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "5", "d", "-1d", "1x", "1d2d", "1d1y", "1h1d", " 1d", "1d ", "1 d", "1D",
        "+1d", "1.5d", "1dh", "d1", "1,000d", "\u0663d", "1s", "1min", "1d\n"})
    void parse_invalidInput_isRejectedWithTheInputInTheMessage(String s) {
        assertThatThrownBy(() -> Durations.parse(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid duration '" + s + "': ")
                .hasMessageContaining("36h, 7d, 2w, 1y6m");
    }

    @Test
    void parse_invalidInput_saysWhatIsWrong() {
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("it is empty");
        assertThatThrownBy(() -> Durations.parse("5")).hasMessageContaining("the number 5 has no unit");
        assertThatThrownBy(() -> Durations.parse("d")).hasMessageContaining("expected a number at position 1, found 'd'");
        assertThatThrownBy(() -> Durations.parse("-1d")).hasMessageContaining("cannot be negative");
        assertThatThrownBy(() -> Durations.parse("1x")).hasMessageContaining("'x' is not a unit");
        assertThatThrownBy(() -> Durations.parse("1d2d")).hasMessageContaining("each appear once, largest first");
        assertThatThrownBy(() -> Durations.parse("1d1y")).hasMessageContaining("each appear once, largest first");
        assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"99999999999999999999d", "9223372036854775808h", "300000000000y",
        "2562047788015216h", "106751991167300d16h", "292471208678y"})
    void parse_overflow_isRejected(String s) {
        assertThatThrownBy(() -> Durations.parse(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid duration '" + s + "': it is too long");
    }

    @Test
    void parse_largestHourCount_isAccepted() {
        long maxHours = Long.MAX_VALUE / 3600;
        assertThat(Durations.parse(maxHours + "h")).isEqualTo(Duration.ofHours(maxHours));
        assertThat(Durations.parse("106751991167300d15h"))
                .isEqualTo(Duration.ofDays(106751991167300L).plusHours(15));
        assertThat(Durations.parse("292471208677y")).isEqualTo(Duration.ofDays(292471208677L * 365));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "36h, 1d12h",
        "7d, 7d",
        "2w, 14d",
        "30d, 30d",
        "1m, 30d",
        "1y6m, 1y180d",
        "1y2m3w4d5h, 1y85d5h",
        "0d, 0h",
        "24h, 1d",
        "365d, 1y",
        "366d, 1y1d",
        "1h, 1h",
    })
    void format_writesYearsDaysHours(String in, String out) {
        assertThat(Durations.format(Durations.parse(in))).isEqualTo(out);
        assertThat(Durations.parse(out)).isEqualTo(Durations.parse(in));
    }

    @Test
    void format_invalidDurations_areRejected() {
        assertThatThrownBy(() -> Durations.format(Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> Durations.format(Duration.ofMinutes(90)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of hours");
        assertThatThrownBy(() -> Durations.format(Duration.ofHours(1).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of hours");
        assertThatThrownBy(() -> Durations.format(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void formatThenParse_roundTripsEveryWholeHourDuration() {
        SplittableRandom r = new SplittableRandom(42);
        long maxHours = Long.MAX_VALUE / 3600;
        for (int i = 0; i < 10_000; i++) {
            long hours = switch (i % 3) {
                case 0 -> r.nextLong(24 * 800);
                case 1 -> r.nextLong(24 * 365 * 1000L);
                default -> r.nextLong(maxHours + 1);
            };
            Duration d = Duration.ofHours(hours);
            String s = Durations.format(d);
            assertThat(s).matches("0h|([1-9][0-9]*y)?([1-9][0-9]{0,2}d)?([1-9][0-9]?h)?");
            assertThat(Durations.parse(s)).as(s).isEqualTo(d);
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
        assertThat(Durations.parse(Durations.format(Duration.ofHours(maxHours)))).isEqualTo(Duration.ofHours(maxHours));
    }

    @Test
    void parseThenFormat_roundTripsCanonicalStrings() {
        for (String s : new String[] {"1h", "23h", "1d", "364d23h", "1y", "2y3d", "10y364d23h", "0h"}) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
        assertThat(DAY).isEqualTo(Duration.ofDays(1).getSeconds());
    }
}
