package dev.cairn.format.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GearTableTest {

    /** Golden vector; also reproducible with openssl dgst -sha256 -mac HMAC. */
    @Test
    void vectorSeedEntries() {
        long[] gear = TestData.vectorGear();

        assertThat(gear).hasSize(256);
        assertThat(hex(gear[0])).isEqualTo("b4b7845dd6e85edd");
        assertThat(hex(gear[1])).isEqualTo("22addc49aa553098");
        assertThat(hex(gear[255])).isEqualTo("11573f0700a8dba3");
    }

    @Test
    void otherSeedGivesOtherTable() {
        byte[] seed = TestData.vectorSeed();
        seed[31] ^= 1;

        long[] a = TestData.vectorGear();
        long[] b = GearTable.derive(seed);

        for (int i = 0; i < 256; i++) {
            assertThat(b[i]).as("entry %d", i).isNotEqualTo(a[i]);
        }
    }

    @Test
    void entriesAreDistinct() {
        assertThat(TestData.vectorGear()).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 31, 33, 64})
    void rejectsSeedOfWrongLength(int length) {
        assertThatThrownBy(() -> GearTable.derive(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String hex(long v) {
        return String.format("%016x", v);
    }
}
