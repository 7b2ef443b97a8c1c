package dev.cairn.repository.retention;

import static dev.cairn.repository.retention.Snaps.at;
import static dev.cairn.repository.retention.Snaps.daily;
import static dev.cairn.repository.retention.Snaps.hourly;
import static dev.cairn.repository.retention.Snaps.last;
import static dev.cairn.repository.retention.Snaps.monthly;
import static dev.cairn.repository.retention.Snaps.second;
import static dev.cairn.repository.retention.Snaps.weekly;
import static dev.cairn.repository.retention.Snaps.yearly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static Instant utc(String s) {
        return Instant.parse(s);
    }

    private static List<String> none() {
        return List.of();
    }

    // keep-last

    @Test
    void keepLast_sameInstant_breaksTiesByAscendingId() {
        Instant t = utc("2024-05-01T10:00:00Z");
        Snaps s = new Snaps()
                .add(0x90000000, "t id 90", t, Snaps.GROUP)
                .add(0x10000000, "t id 10", t, Snaps.GROUP)
                .add(0x50000000, "t id 50", t, Snaps.GROUP)
                .add(0x7f000000, "newest", t.plusSeconds(60), Snaps.GROUP)
                .add(0x01000000, "older", t.minusSeconds(60), Snaps.GROUP);
        // Ascending hex, not signed bytes: 0x90 sorts after 0x10 and 0x50.
        assertThat(Snaps.id(0x10000000).hex()).isLessThan(Snaps.id(0x90000000).hex());

        assertThat(s.kept(last(2), UTC)).containsExactly("newest", "t id 10");
        assertThat(s.kept(last(3), UTC)).containsExactly("newest", "t id 10", "t id 50");
        assertThat(s.reasons(last(4), UTC)).containsExactly(
                Map.entry("newest", List.of("last")),
                Map.entry("t id 10", List.of("last")),
                Map.entry("t id 50", List.of("last")),
                Map.entry("t id 90", List.of("last")),
                Map.entry("older", none()));
    }

    @Test
    void keepLast_inputOrderDoesNotMatter() {
        Instant t = utc("2024-05-01T10:00:00Z");
        Snaps s = new Snaps();
        for (int i = 0; i < 20; i++) {
            s.add(1000 - i, "s" + i, t.plusSeconds(i / 3 * 60L), Snaps.GROUP);
        }
        List<String> expected = s.kept(last(7), UTC);
        for (int seed = 0; seed < 10; seed++) {
            List<Candidate> shuffled = new ArrayList<>(s.all());
            Collections.shuffle(shuffled, new Random(seed));
            List<String> got = new ArrayList<>();
            for (Decision d : RetentionPlanner.plan(shuffled, last(7), UTC).get(Snaps.GROUP)) {
                if (d.keep()) {
                    got.add(s.name(d.snapshot()));
                }
            }
            assertThat(got).isEqualTo(expected);
        }
        // Three snapshots a minute; within a minute the lower id (1000 - i) counts as newer.
        assertThat(expected).containsExactly("s19", "s18", "s17", "s16", "s15", "s14", "s13");
    }

    @Test
    void keepLast_moreThanThereAre_keepsAll() {
        Snaps s = new Snaps()
                .add("a", utc("2024-01-03T00:00:00Z"), Snaps.GROUP)
                .add("b", utc("2024-01-01T00:00:00Z"), Snaps.GROUP)
                .add("c", utc("2024-01-02T00:00:00Z"), Snaps.GROUP);
        assertThat(s.reasons(last(10), UTC)).containsExactly(
                Map.entry("a", List.of("last")),
                Map.entry("c", List.of("last")),
                Map.entry("b", List.of("last")));
    }

    // keep-daily across DST

    @Test
    void keepDaily_berlinSpringForward_bucketsByLocalDate() {
        Snaps s = new Snaps()
                .add(at("2024-03-29T23:50", BERLIN))
                .add(at("2024-03-30T08:00", BERLIN))
                .add(at("2024-03-30T23:30", BERLIN))
                .add(at("2024-03-31T00:30", BERLIN))   // 2024-03-30 in UTC
                .add(at("2024-03-31T01:59", BERLIN))
                .add(at("2024-03-31T03:01", BERLIN))   // two real minutes after 01:59
                .add(at("2024-03-31T23:40", BERLIN))
                .add(at("2024-04-01T00:20", BERLIN))   // 2024-03-31 in UTC
                .add(at("2024-04-01T01:30", BERLIN));  // 2024-03-31 in UTC
        assertThat(s.reasons(daily(3), BERLIN)).containsExactly(
                Map.entry("2024-04-01T01:30+02:00", List.of("daily 2024-04-01")),
                Map.entry("2024-04-01T00:20+02:00", none()),
                Map.entry("2024-03-31T23:40+02:00", List.of("daily 2024-03-31")),
                Map.entry("2024-03-31T03:01+02:00", none()),
                Map.entry("2024-03-31T01:59+01:00", none()),
                Map.entry("2024-03-31T00:30+01:00", none()),
                Map.entry("2024-03-30T23:30+01:00", List.of("daily 2024-03-30")),
                Map.entry("2024-03-30T08:00+01:00", none()),
                Map.entry("2024-03-29T23:50+01:00", none()));
    }

    @Test
    void keepDaily_berlinFallBack_newestOfTheLongDayIsTheSecondTwoThirty() {
        Snaps s = new Snaps()
                .add(at("2024-10-26T23:30", BERLIN))
                .add(at("2024-10-27T00:30", BERLIN))     // 2024-10-26 in UTC
                .add(at("2024-10-27T02:30", BERLIN))     // first 02:30, summer time
                .add(second("2024-10-27T02:30", BERLIN)) // an hour later, winter time
                .add(at("2024-10-28T00:30", BERLIN));    // 2024-10-27 in UTC
        assertThat(s.reasons(daily(3), BERLIN)).containsExactly(
                Map.entry("2024-10-28T00:30+01:00", List.of("daily 2024-10-28")),
                Map.entry("2024-10-27T02:30+01:00", List.of("daily 2024-10-27")),
                Map.entry("2024-10-27T02:30+02:00", none()),
                Map.entry("2024-10-27T00:30+02:00", none()),
                Map.entry("2024-10-26T23:30+02:00", List.of("daily 2024-10-26")));
    }

    @Test
    void keepDaily_newYorkSpringForward_bucketsByLocalDate() {
        Snaps s = new Snaps()
                .add(at("2024-03-09T22:00", NEW_YORK))
                .add(at("2024-03-09T23:30", NEW_YORK))   // 2024-03-10 in UTC
                .add(at("2024-03-10T00:30", NEW_YORK))
                .add(at("2024-03-10T01:59", NEW_YORK))
                .add(at("2024-03-10T03:00", NEW_YORK))
                .add(at("2024-03-10T23:30", NEW_YORK))   // 2024-03-11 in UTC
                .add(at("2024-03-11T00:30", NEW_YORK))   // 2024-03-10 at a fixed -05:00
                .add(at("2024-03-11T09:00", NEW_YORK));
        assertThat(s.reasons(daily(3), NEW_YORK)).containsExactly(
                Map.entry("2024-03-11T09:00-04:00", List.of("daily 2024-03-11")),
                Map.entry("2024-03-11T00:30-04:00", none()),
                Map.entry("2024-03-10T23:30-04:00", List.of("daily 2024-03-10")),
                Map.entry("2024-03-10T03:00-04:00", none()),
                Map.entry("2024-03-10T01:59-05:00", none()),
                Map.entry("2024-03-10T00:30-05:00", none()),
                Map.entry("2024-03-09T23:30-05:00", List.of("daily 2024-03-09")),
                Map.entry("2024-03-09T22:00-05:00", none()));
    }

    @Test
    void keepDaily_newYorkFallBack_oneThirtyTwiceIsOneDay() {
        Snaps s = new Snaps()
                .add(at("2024-11-02T23:30", NEW_YORK))
                .add(at("2024-11-03T00:30", NEW_YORK))
                .add(at("2024-11-03T01:30", NEW_YORK))      // first 01:30, EDT
                .add(second("2024-11-03T01:30", NEW_YORK))  // second 01:30, EST
                .add(at("2024-11-04T00:15", NEW_YORK));     // 2024-11-04 in UTC too, but 05:15
        assertThat(s.reasons(daily(3), NEW_YORK)).containsExactly(
                Map.entry("2024-11-04T00:15-05:00", List.of("daily 2024-11-04")),
                Map.entry("2024-11-03T01:30-05:00", List.of("daily 2024-11-03")),
                Map.entry("2024-11-03T01:30-04:00", none()),
                Map.entry("2024-11-03T00:30-04:00", none()),
                Map.entry("2024-11-02T23:30-04:00", List.of("daily 2024-11-02")));
        assertThat(s.kept(daily(2), NEW_YORK))
                .containsExactly("2024-11-04T00:15-05:00", "2024-11-03T01:30-05:00");
    }

    @Test
    void keepDaily_daysWithoutSnapshotsDoNotCount() {
        Snaps s = new Snaps()
                .add(at("2024-01-01T12:00", UTC))
                .add(at("2024-01-10T12:00", UTC))
                .add(at("2024-01-10T08:00", UTC))
                .add(at("2024-01-20T12:00", UTC));
        assertThat(s.kept(daily(2), UTC)).containsExactly("2024-01-20T12:00Z", "2024-01-10T12:00Z");
        assertThat(s.kept(daily(30), UTC))
                .containsExactly("2024-01-20T12:00Z", "2024-01-10T12:00Z", "2024-01-01T12:00Z");
    }

    // keep-hourly across DST

    @Test
    void keepHourly_berlinFallBack_twoInstantsOfOneLocalHourShareABucket() {
        Snaps s = new Snaps()
                .add(at("2024-10-27T01:40", BERLIN))
                .add(at("2024-10-27T02:10", BERLIN))
                .add(at("2024-10-27T02:50", BERLIN))
                .add(second("2024-10-27T02:20", BERLIN))
                .add(second("2024-10-27T02:55", BERLIN))
                .add(at("2024-10-27T03:05", BERLIN));
        assertThat(s.reasons(hourly(3), BERLIN)).containsExactly(
                Map.entry("2024-10-27T03:05+01:00", List.of("hourly 2024-10-27 03:00")),
                Map.entry("2024-10-27T02:55+01:00", List.of("hourly 2024-10-27 02:00")),
                Map.entry("2024-10-27T02:20+01:00", none()),
                Map.entry("2024-10-27T02:50+02:00", none()),
                Map.entry("2024-10-27T02:10+02:00", none()),
                Map.entry("2024-10-27T01:40+02:00", List.of("hourly 2024-10-27 01:00")));
    }

    @Test
    void keepHourly_newYorkFallBack_twoInstantsOfOneLocalHourShareABucket() {
        Snaps s = new Snaps()
                .add(at("2024-11-03T00:45", NEW_YORK))
                .add(at("2024-11-03T01:10", NEW_YORK))
                .add(at("2024-11-03T01:30", NEW_YORK))
                .add(second("2024-11-03T01:30", NEW_YORK))
                .add(second("2024-11-03T01:50", NEW_YORK))
                .add(at("2024-11-03T02:10", NEW_YORK));
        assertThat(s.kept(hourly(3), NEW_YORK)).containsExactly(
                "2024-11-03T02:10-05:00", "2024-11-03T01:50-05:00", "2024-11-03T00:45-04:00");
        assertThat(s.kept(hourly(2), NEW_YORK))
                .containsExactly("2024-11-03T02:10-05:00", "2024-11-03T01:50-05:00");
    }

    @Test
    void keepHourly_springForward_skippedHourHoldsNothing() {
        Snaps s = new Snaps()
                .add(at("2024-03-31T01:10", BERLIN))
                .add(at("2024-03-31T01:30", BERLIN))
                .add(at("2024-03-31T03:10", BERLIN))   // 20 minutes after 01:30 would have been 02:50
                .add(at("2024-03-31T03:40", BERLIN));
        assertThat(s.reasons(hourly(2), BERLIN)).containsExactly(
                Map.entry("2024-03-31T03:40+02:00", List.of("hourly 2024-03-31 03:00")),
                Map.entry("2024-03-31T03:10+02:00", none()),
                Map.entry("2024-03-31T01:30+01:00", List.of("hourly 2024-03-31 01:00")),
                Map.entry("2024-03-31T01:10+01:00", none()));
    }

    // keep-weekly: ISO weeks

    @Test
    void keepWeekly_isoWeekOneStartingInDecember() {
        Snaps s = new Snaps()
                .add(at("2024-12-22T12:00", BERLIN))   // Sunday, 2024-W51
                .add(at("2024-12-28T12:00", BERLIN))   // Saturday, 2024-W52
                .add(at("2024-12-29T12:00", BERLIN))   // Sunday, 2024-W52
                .add(at("2024-12-30T12:00", BERLIN))   // Monday, 2025-W01
                .add(at("2025-01-01T12:00", BERLIN))
                .add(at("2025-01-05T12:00", BERLIN))   // Sunday, 2025-W01
                .add(at("2025-01-06T12:00", BERLIN));  // Monday, 2025-W02
        assertThat(s.reasons(weekly(3), BERLIN)).containsExactly(
                Map.entry("2025-01-06T12:00+01:00", List.of("weekly 2025-W02")),
                Map.entry("2025-01-05T12:00+01:00", List.of("weekly 2025-W01")),
                Map.entry("2025-01-01T12:00+01:00", none()),
                Map.entry("2024-12-30T12:00+01:00", none()),
                Map.entry("2024-12-29T12:00+01:00", List.of("weekly 2024-W52")),
                Map.entry("2024-12-28T12:00+01:00", none()),
                Map.entry("2024-12-22T12:00+01:00", none()));
        assertThat(s.kept(weekly(9), BERLIN)).containsExactly("2025-01-06T12:00+01:00",
                "2025-01-05T12:00+01:00", "2024-12-29T12:00+01:00", "2024-12-22T12:00+01:00");
    }

    @Test
    void keepWeekly_weekStartsAtLocalMidnightOfMonday() {
        Snaps s = new Snaps()
                .add(at("2024-12-16T12:00", BERLIN))   // 2024-W51
                .add(at("2024-12-29T23:00", BERLIN))   // Sunday, 2024-W52
                .add(at("2024-12-30T00:30", BERLIN));  // Monday locally (2025-W01), Sunday in UTC
        assertThat(s.reasons(weekly(2), BERLIN)).containsExactly(
                Map.entry("2024-12-30T00:30+01:00", List.of("weekly 2025-W01")),
                Map.entry("2024-12-29T23:00+01:00", List.of("weekly 2024-W52")),
                Map.entry("2024-12-16T12:00+01:00", none()));
    }

    @Test
    void keepWeekly_isoWeek53() {
        Snaps s = new Snaps()
                .add(at("2020-12-20T12:00", UTC))   // Sunday, 2020-W51
                .add(at("2020-12-27T12:00", UTC))   // Sunday, 2020-W52
                .add(at("2020-12-28T12:00", UTC))   // Monday, 2020-W53
                .add(at("2021-01-01T12:00", UTC))   // Friday, 2020-W53
                .add(at("2021-01-03T12:00", UTC))   // Sunday, 2020-W53
                .add(at("2021-01-04T12:00", UTC));  // Monday, 2021-W01
        assertThat(s.reasons(weekly(4), UTC)).containsExactly(
                Map.entry("2021-01-04T12:00Z", List.of("weekly 2021-W01")),
                Map.entry("2021-01-03T12:00Z", List.of("weekly 2020-W53")),
                Map.entry("2021-01-01T12:00Z", none()),
                Map.entry("2020-12-28T12:00Z", none()),
                Map.entry("2020-12-27T12:00Z", List.of("weekly 2020-W52")),
                Map.entry("2020-12-20T12:00Z", List.of("weekly 2020-W51")));
    }

    @Test
    void keepWeekly_isoWeek53Of2026() {
        Snaps s = new Snaps()
                .add(at("2026-12-27T09:00", NEW_YORK))  // Sunday, 2026-W52
                .add(at("2027-01-02T09:00", NEW_YORK))  // Saturday, 2026-W53
                .add(at("2027-01-04T09:00", NEW_YORK)); // Monday, 2027-W01
        assertThat(s.reasons(weekly(3), NEW_YORK)).containsExactly(
                Map.entry("2027-01-04T09:00-05:00", List.of("weekly 2027-W01")),
                Map.entry("2027-01-02T09:00-05:00", List.of("weekly 2026-W53")),
                Map.entry("2026-12-27T09:00-05:00", List.of("weekly 2026-W52")));
    }

    // keep-monthly, keep-yearly

    @Test
    void keepMonthly_acrossYearEnd_byLocalMonth() {
        Snaps s = new Snaps()
                .add(at("2022-10-05T12:00", BERLIN))
                .add(at("2022-11-15T12:00", BERLIN))
                .add(at("2022-11-30T23:30", BERLIN))
                .add(at("2022-12-31T23:30", BERLIN))
                .add(at("2023-01-01T00:30", BERLIN))   // 2022-12 in UTC
                .add(at("2023-01-20T12:00", BERLIN))
                .add(at("2023-02-01T00:10", BERLIN));  // 2023-01 in UTC
        assertThat(s.reasons(monthly(3), BERLIN)).containsExactly(
                Map.entry("2023-02-01T00:10+01:00", List.of("monthly 2023-02")),
                Map.entry("2023-01-20T12:00+01:00", List.of("monthly 2023-01")),
                Map.entry("2023-01-01T00:30+01:00", none()),
                Map.entry("2022-12-31T23:30+01:00", List.of("monthly 2022-12")),
                Map.entry("2022-11-30T23:30+01:00", none()),
                Map.entry("2022-11-15T12:00+01:00", none()),
                Map.entry("2022-10-05T12:00+02:00", none()));
        assertThat(s.kept(monthly(5), BERLIN)).containsExactly("2023-02-01T00:10+01:00",
                "2023-01-20T12:00+01:00", "2022-12-31T23:30+01:00", "2022-11-30T23:30+01:00",
                "2022-10-05T12:00+02:00");
    }

    @Test
    void keepYearly_keepsTheNewestOfEachLocalYear() {
        Snaps s = new Snaps()
                .add(at("2020-06-01T12:00", BERLIN))
                .add(at("2021-03-01T12:00", BERLIN))
                .add(at("2021-12-31T23:59", BERLIN))
                .add(at("2022-01-01T00:01", BERLIN))   // 2021 in UTC
                .add(at("2022-07-01T12:00", BERLIN))
                .add(at("2022-12-31T12:00", BERLIN))
                .add(at("2023-01-01T00:30", BERLIN));  // 2022 in UTC
        assertThat(s.reasons(yearly(3), BERLIN)).containsExactly(
                Map.entry("2023-01-01T00:30+01:00", List.of("yearly 2023")),
                Map.entry("2022-12-31T12:00+01:00", List.of("yearly 2022")),
                Map.entry("2022-07-01T12:00+02:00", none()),
                Map.entry("2022-01-01T00:01+01:00", none()),
                Map.entry("2021-12-31T23:59+01:00", List.of("yearly 2021")),
                Map.entry("2021-03-01T12:00+01:00", none()),
                Map.entry("2020-06-01T12:00+02:00", none()));
        assertThat(s.kept(yearly(100), BERLIN)).containsExactly("2023-01-01T00:30+01:00",
                "2022-12-31T12:00+01:00", "2021-12-31T23:59+01:00", "2020-06-01T12:00+02:00");
    }

    // keep-within

    @Test
    void keepWithin_countsBackFromTheGroupsNewestSnapshot_notFromNow() {
        Snaps s = new Snaps();
        for (LocalDate d = LocalDate.parse("2024-01-01"); !d.isAfter(LocalDate.parse("2024-03-01")); d = d.plusDays(1)) {
            s.add("active " + d, d.atTime(12, 0).toInstant(ZoneOffset.UTC), "active");
        }
        // Stopped backing up a year earlier: still keeps its own last week.
        for (LocalDate d = LocalDate.parse("2023-01-01"); !d.isAfter(LocalDate.parse("2023-03-01")); d = d.plusDays(1)) {
            s.add("stopped " + d, d.atTime(12, 0).toInstant(ZoneOffset.UTC), "stopped");
        }
        Policy p = new Policy(0, 0, 0, 0, 0, 0, Duration.ofDays(7), null);
        Map<String, List<Decision>> plan = s.plan(p, UTC);
        assertThat(s.kept(plan, "active")).containsExactly("active 2024-03-01", "active 2024-02-29",
                "active 2024-02-28", "active 2024-02-27", "active 2024-02-26", "active 2024-02-25",
                "active 2024-02-24", "active 2024-02-23");
        assertThat(s.kept(plan, "stopped")).containsExactly("stopped 2023-03-01",
                "stopped 2023-02-28", "stopped 2023-02-27", "stopped 2023-02-26", "stopped 2023-02-25",
                "stopped 2023-02-24", "stopped 2023-02-23", "stopped 2023-02-22");
        assertThat(plan.get("stopped").get(0).reasons()).containsExactly("within 7d");
    }

    @Test
    void keepWithin_boundaryIsInclusive() {
        Instant newest = utc("2024-06-01T00:00:00Z");
        Snaps s = new Snaps()
                .add("newest", newest, Snaps.GROUP)
                .add("exactly 36h before", newest.minus(Duration.ofHours(36)), Snaps.GROUP)
                .add("a second more", newest.minus(Duration.ofHours(36)).minusSeconds(1), Snaps.GROUP)
                .add("a millisecond less", newest.minus(Duration.ofHours(36)).plusMillis(1), Snaps.GROUP);
        Policy p = new Policy(0, 0, 0, 0, 0, 0, Durations.parse("36h"), null);
        assertThat(s.reasons(p, UTC)).containsExactly(
                Map.entry("newest", List.of("within 1d12h")),
                Map.entry("a millisecond less", List.of("within 1d12h")),
                Map.entry("exactly 36h before", List.of("within 1d12h")),
                Map.entry("a second more", none()));
    }

    @Test
    void keepWithin_longerThanTimeItself_keepsEverything() {
        Snaps s = new Snaps()
                .add("max", Instant.ofEpochMilli(Long.MAX_VALUE), Snaps.GROUP)
                .add("epoch", Instant.EPOCH, Snaps.GROUP)
                .add("min", Instant.ofEpochMilli(Long.MIN_VALUE), Snaps.GROUP);
        Policy p = new Policy(0, 0, 0, 0, 0, 0, Duration.ofSeconds(Long.MAX_VALUE), null);
        assertThat(s.kept(p, UTC)).containsExactly("max", "epoch", "min");
        assertThat(s.kept(new Policy(0, 3, 3, 3, 3, 3, null, null), ZoneId.of("Pacific/Kiritimati")))
                .containsExactly("max", "epoch", "min");
    }

    // keep-tag

    @Test
    void keepTag_anyOfTheTags_combinedWithKeepLast() {
        Instant t = utc("2024-04-01T00:00:00Z");
        Snaps s = new Snaps()
                .add("s5 untagged", t.plusSeconds(5), Snaps.GROUP)
                .add("s4 important+laptop", t.plusSeconds(4), Snaps.GROUP, "important", "laptop")
                .add("s3 laptop", t.plusSeconds(3), Snaps.GROUP, "laptop")
                .add("s2 Important", t.plusSeconds(2), Snaps.GROUP, "Important")
                .add("s1 important+monthly-report", t.plusSeconds(1), Snaps.GROUP, "monthly-report", "important")
                .add("s0 monthly-report", t, Snaps.GROUP, "monthly-report");
        Policy p = new Policy(2, 0, 0, 0, 0, 0, null, Set.of("monthly-report", "important"));
        assertThat(s.reasons(p, UTC)).containsExactly(
                Map.entry("s5 untagged", List.of("last")),
                Map.entry("s4 important+laptop", List.of("last", "tag important")),
                Map.entry("s3 laptop", none()),
                Map.entry("s2 Important", none()),
                Map.entry("s1 important+monthly-report", List.of("tag important", "tag monthly-report")),
                Map.entry("s0 monthly-report", List.of("tag monthly-report")));
    }

    // grouping, order, reasons

    @Test
    void plan_groupsArePlannedIndependently_andSortedByName() {
        Snaps s = new Snaps()
                .add("b new", utc("2024-06-02T00:00:00Z"), "b")
                .add("b old", utc("2024-06-01T00:00:00Z"), "b")
                .add("a old", utc("2023-01-01T00:00:00Z"), "a")
                .add("a new", utc("2023-01-02T00:00:00Z"), "a")
                .add("c only", utc("2020-01-01T00:00:00Z"), "c");
        Map<String, List<Decision>> plan = s.plan(new Policy(1, 0, 1, 0, 0, 0, null, null), UTC);
        assertThat(plan.keySet()).containsExactly("a", "b", "c");
        assertThat(s.kept(plan, "a")).containsExactly("a new");
        assertThat(s.kept(plan, "b")).containsExactly("b new");
        assertThat(s.kept(plan, "c")).containsExactly("c only");
        assertThat(plan.get("a")).extracting(d -> s.name(d.snapshot())).containsExactly("a new", "a old");
        assertThat(plan.get("a").get(0).reasons()).containsExactly("last", "daily 2023-01-02");
        assertThat(plan.get("a").get(1).keep()).isFalse();
    }

    @Test
    void plan_reasonsAreExactlyAsDocumented() {
        Snaps s = new Snaps()
                .add("sun 10:00", utc("2024-03-31T10:00:00Z"), Snaps.GROUP)
                .add("sun 09:00", utc("2024-03-31T09:00:00Z"), Snaps.GROUP)
                .add("sat 12:00 tagged", utc("2024-03-30T12:00:00Z"), Snaps.GROUP, "x", "y")
                .add("february", utc("2024-02-10T12:00:00Z"), Snaps.GROUP)
                .add("last year", utc("2023-12-31T23:00:00Z"), Snaps.GROUP, "y");
        Policy p = new Policy(1, 1, 2, 1, 1, 1, Duration.ofDays(1), Set.of("y", "x"));
        assertThat(s.reasons(p, UTC)).containsExactly(
                Map.entry("sun 10:00", List.of("last", "hourly 2024-03-31 10:00", "daily 2024-03-31",
                        "weekly 2024-W13", "monthly 2024-03", "yearly 2024", "within 1d")),
                Map.entry("sun 09:00", List.of("within 1d")),
                Map.entry("sat 12:00 tagged", List.of("daily 2024-03-30", "within 1d", "tag x", "tag y")),
                Map.entry("february", none()),
                Map.entry("last year", List.of("tag y")));
    }

    @Test
    void plan_emptyPolicy_keepsEverythingWithReasonNoPolicy() {
        Snaps s = new Snaps()
                .add("a", utc("2024-01-01T00:00:00Z"), Snaps.GROUP)
                .add("b", utc("2024-01-02T00:00:00Z"), Snaps.GROUP, "t");
        assertThat(s.reasons(Policy.NONE, UTC)).containsExactly(
                Map.entry("b", List.of("no policy")),
                Map.entry("a", List.of("no policy")));
    }

    @Test
    void plan_noSnapshots_givesEmptyMap() {
        assertThat(RetentionPlanner.plan(List.of(), last(1), UTC)).isEmpty();
    }

    @Test
    void plan_sameIdTwice_isRejected() {
        Candidate a = new Candidate(Snaps.id(1), utc("2024-01-01T00:00:00Z"), "g", Set.of());
        Candidate b = new Candidate(Snaps.id(1), utc("2024-01-02T00:00:00Z"), "h", Set.of());
        assertThatThrownBy(() -> RetentionPlanner.plan(List.of(a, b), last(1), UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listed twice");
    }

    @Test
    void plan_resultIsUnmodifiable() {
        Snaps s = new Snaps().add("a", utc("2024-01-01T00:00:00Z"), Snaps.GROUP);
        Map<String, List<Decision>> plan = s.plan(last(1), UTC);
        assertThatThrownBy(() -> plan.remove(Snaps.GROUP)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> plan.get(Snaps.GROUP).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> plan.get(Snaps.GROUP).get(0).reasons().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void candidate_timeBeyondEnvelopeRange_isRejected() {
        assertThatThrownBy(() -> new Candidate(Snaps.id(1), Instant.MAX, "g", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        assertThat(new Candidate(Snaps.id(1), Instant.EPOCH, "g", null).tags()).isEmpty();
    }
}
