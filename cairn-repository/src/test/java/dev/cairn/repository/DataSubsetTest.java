package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.Id;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataSubsetTest {
    private static List<Id> packs(int n) {
        SplittableRandom rnd = new SplittableRandom(7);
        List<Id> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[32];
            rnd.nextBytes(b);
            out.add(Id.of(b));
        }
        return out;
    }

    @Test
    void select_groupsOfM_partitionEveryPackExactlyOnce() {
        List<Id> all = packs(500);
        Set<Id> seen = new HashSet<>();
        int total = 0;
        for (int n = 1; n <= 7; n++) {
            List<Id> group = Checker.DataSubset.parse(n + "/7").select(all);
            seen.addAll(group);
            total += group.size();
        }
        assertThat(total).isEqualTo(all.size());
        assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void select_sameGroup_isStableAcrossRuns() {
        List<Id> all = packs(100);
        assertThat(Checker.DataSubset.parse("3/5").select(all)).isEqualTo(Checker.DataSubset.parse("3/5").select(all));
    }

    @Test
    void select_percent_readsThatShareRoundedUp() {
        List<Id> all = packs(101);
        assertThat(Checker.DataSubset.parse("10%").select(all)).hasSize(11).doesNotHaveDuplicates();
        assertThat(Checker.DataSubset.parse("100%").select(all)).hasSize(101);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/3", "4/3", "1/0", "1/257", "0%", "101%", "abc", "5", "x/y", "%"})
    void parse_invalid_throwsWithUsage(String s) {
        assertThatThrownBy(() -> Checker.DataSubset.parse(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("N/M");
    }
}
