package dev.cairn.format;

import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdTest {

    @Test
    void parse_hexRoundTrips() {
        String hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        Id id = Id.parse(hex);
        assertThat(id.hex()).isEqualTo(hex);
        assertThat(id.toString()).isEqualTo(hex);
        assertThat(id.bytes()).isEqualTo(seq(0, 32));
        assertThat(Id.parse(id.hex())).isEqualTo(id);
        assertThat(id.shortHex()).isEqualTo("00010203");
    }

    @Test
    void parse_upperCaseGivesLowerCaseHex() {
        Id id = Id.parse("ABCDEF0000000000000000000000000000000000000000000000000000000000");
        assertThat(id.hex()).startsWith("abcdef00");
    }

    @Test
    void parse_wrongLengthOrDigits_throwsIllegalArgument() {
        assertThatThrownBy(() -> Id.parse("00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Id.parse("zz" + "00".repeat(31))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Id.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void of_copiesItsInput() {
        byte[] b = seq(0, 32);
        Id id = Id.of(b);
        b[0] = 99;
        assertThat(id.bytes()[0]).isZero();
        id.bytes()[1] = 99;
        assertThat(id.bytes()[1]).isEqualTo((byte) 1);
    }

    @Test
    void of_withOffset_readsThirtyTwoBytes() {
        byte[] b = seq(0, 40);
        assertThat(Id.of(b, 8).bytes()).isEqualTo(seq(8, 32));
        byte[] dest = new byte[34];
        Id.of(b, 8).copyTo(dest, 2);
        assertThat(Arrays.copyOfRange(dest, 2, 34)).isEqualTo(seq(8, 32));
    }

    @Test
    void compareTo_isUnsigned() {
        Id low = Id.parse("7f" + "ff".repeat(31));
        Id high = Id.parse("80" + "00".repeat(31));
        Id top = Id.parse("ff".repeat(32));
        assertThat(low.compareTo(high)).isNegative();
        assertThat(high.compareTo(low)).isPositive();
        assertThat(high.compareTo(top)).isNegative();
        assertThat(top.compareTo(Id.parse("ff".repeat(32)))).isZero();
        List<Id> ids = new ArrayList<>(List.of(top, high, low));
        ids.sort(null);
        assertThat(ids).containsExactly(low, high, top);
    }

    @Test
    void compareTo_laterByteDecidesWhenPrefixEqual() {
        Id a = Id.parse("00".repeat(31) + "01");
        Id b = Id.parse("00".repeat(31) + "f0");
        assertThat(a).isLessThan(b);
    }

    @Test
    void equalsHashCode_dependOnBytesOnly() {
        Id a = Id.of(seq(5, 32));
        Id b = Id.of(seq(5, 32));
        Id c = Id.of(seq(6, 32));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a).isNotEqualTo(null).isNotEqualTo(a.hex());
        assertThat(a.hashCode()).isEqualTo(0x05060708);
    }

    @Test
    void prefix64_isBigEndianFirstEightBytes() {
        assertThat(Id.of(seq(0x80, 32)).prefix64()).isEqualTo(0x8081828384858687L);
    }

    @Test
    void sha256_matchesKnownDigest() {
        byte[] abc = Fixtures.ascii("xabcx");
        assertThat(Id.sha256(abc, 1, 3).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hex(Id.sha256().digest())).isEqualTo(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
