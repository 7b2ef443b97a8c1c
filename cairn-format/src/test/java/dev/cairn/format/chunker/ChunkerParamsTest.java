package dev.cairn.format.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkerParamsTest {

    @Test
    void defaultIsHalfOneEightMiB() {
        assertThat(ChunkerParams.DEFAULT).isEqualTo(new ChunkerParams(524_288, 1_048_576, 8_388_608));
    }

    @Test
    void acceptsExtremes() {
        assertThat(new ChunkerParams(1, 64, 65).avgBits()).isEqualTo(6);
        assertThat(new ChunkerParams(1 << 20, 32 << 20, 64 << 20).avgBits()).isEqualTo(25);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 1024, 4096", // min below 1
        "-1, 1024, 4096",
        "512, 1000, 4096", // avg not a power of two
        "16, 32, 4096", // avg below 64
        "1024, 1024, 4096", // min == avg
        "2048, 1024, 4096", // min > avg
        "512, 1024, 1024", // avg == max
        "512, 1024, 512", // max < avg
        "1048576, 33554432, 67108865", // max above 64 MiB
        "1, 1073741824, 2147483647",
    })
    void rejectsInvalid(int min, int avg, int max) {
        assertThatThrownBy(() -> new ChunkerParams(min, avg, max))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
