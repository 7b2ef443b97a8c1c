package dev.cairn.repository.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the planner with a brute-force reference written from the documented semantics, on 60
 * days of snapshots at random times (with ties and extra snapshots around DST changes), for 50
 * seeds per zone and policy.
 */
class RetentionPlannerReferenceTest {
    private static final int SEEDS = 50;
    private static final List<String> ZONES = List.of("Europe/Berlin", "America/New_York",
            "Australia/Lord_Howe", "Asia/Kolkata", "UTC");
    private static final Map<String, Policy> POLICIES = Map.of(
            "last 2, daily 3, weekly 2, monthly 2", new Policy(2, 0, 3, 2, 2, 0, null, null),
            "every rule", new Policy(1, 6, 3, 2, 2, 1, Duration.ofDays(5), Set.of("keep", "also")));

    static Stream<Arguments> cases() {
        return ZONES.stream().flatMap(z -> POLICIES.keySet().stream().sorted()
                .map(p -> Arguments.of(z, p)));
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("cases")
    void plan_randomSnapshots_matchesBruteForceReference(String zoneName, String policyName) {
        ZoneId zone = ZoneId.of(zoneName);
        Policy policy = POLICIES.get(policyName);
        Map<String, Integer> reasonCounts = new TreeMap<>();
        int removed = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Candidate> snaps = generate(new SplittableRandom(seed * 7919 + zoneName.hashCode()), zone);
            Map<String, List<Decision>> plan = RetentionPlanner.plan(snaps, policy, zone);
            Map<String, List<Map.Entry<Id, List<String>>>> expected = reference(snaps, policy, zone);

            assertThat(plan.keySet()).as("seed %d: groups", seed).containsExactlyElementsOf(expected.keySet());
            for (String group : expected.keySet()) {
                List<Map.Entry<Id, List<String>>> got = new ArrayList<>();
                for (Decision d : plan.get(group)) {
                    got.add(Map.entry(d.snapshot().id(), d.reasons()));
                    assertThat(d.keep()).isEqualTo(!d.reasons().isEmpty());
                    if (d.keep()) {
                        for (String r : d.reasons()) {
                            reasonCounts.merge(r.split(" ")[0], 1, Integer::sum);
                        }
                    } else {
                        removed++;
                    }
                }
                assertThat(got).as("seed %d, group %s", seed, group)
                        .containsExactlyElementsOf(expected.get(group));
            }
        }
        // The scenarios are not trivial: every rule keeps something and something is removed.
        Set<String> rules = new HashSet<>(Set.of("last", "daily", "weekly", "monthly"));
        if (policyName.equals("every rule")) {
            rules.addAll(Set.of("hourly", "yearly", "within", "tag"));
        }
        assertThat(reasonCounts.keySet()).containsExactlyInAnyOrderElementsOf(rules);
        assertThat(removed).isGreaterThan(SEEDS * 50);
    }

    /**
     * About 60 days of snapshots from a random start in 2023 to 2025: random instants (to the
     * millisecond), some sharing an instant with another, a few in the hours around the zone's
     * next DST change, in two groups, some tagged.
     */
    private static List<Candidate> generate(SplittableRandom r, ZoneId zone) {
        Instant start = LocalDate.of(2023, 1, 1).plusDays(r.nextInt(3 * 365))
                .atStartOfDay(zone).toInstant();
        long span = Duration.ofDays(60).toMillis();
        List<Instant> times = new ArrayList<>();
        int n = r.nextInt(60, 240);
        for (int i = 0; i < n; i++) {
            if (!times.isEmpty() && r.nextInt(10) == 0) {
                times.add(times.get(r.nextInt(times.size())));   // a tie
            } else {
                times.add(start.plusMillis(r.nextLong(span)));
            }
        }
        ZoneOffsetTransition change = zone.getRules().nextTransition(start);
        if (change != null && change.getInstant().isBefore(start.plusMillis(span))) {
            for (int i = 0; i < 12; i++) {
                times.add(change.getInstant().plusSeconds(r.nextLong(-3 * 3600, 3 * 3600)));
            }
        }
        List<Candidate> out = new ArrayList<>();
        Set<Id> ids = new HashSet<>();
        String[] tagChoices = {"keep", "also", "other", "Keep"};
        for (Instant t : times) {
            byte[] b = new byte[Id.LENGTH];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) r.nextInt(256);
            }
            b[0] = (byte) r.nextInt(4);   // ties between ids differing only further in
            Id id = Id.of(b);
            if (!ids.add(id)) {
                continue;
            }
            Set<String> tags = r.nextInt(8) == 0 ? Set.of(tagChoices[r.nextInt(tagChoices.length)]) : Set.of();
            out.add(new Candidate(id, t, r.nextInt(4) == 0 ? "second group" : "main", tags));
        }
        return out;
    }

    /**
     * The documented semantics, computed differently: per rule, group every snapshot by bucket,
     * take the newest of each bucket, order the buckets by that snapshot and keep the first N.
     * Weeks are found from their Monday, and their ISO name from their Thursday.
     */
    private static Map<String, List<Map.Entry<Id, List<String>>>> reference(
            List<Candidate> snaps, Policy policy, ZoneId zone) {
        Comparator<Candidate> newestFirst = (a, b) -> {
            int c = Long.compare(b.time().getEpochSecond(), a.time().getEpochSecond());
            if (c == 0) {
                c = Integer.compare(b.time().getNano(), a.time().getNano());
            }
            return c != 0 ? c : a.id().hex().compareTo(b.id().hex());
        };
        Map<String, List<Candidate>> groups = new TreeMap<>();
        for (Candidate c : snaps) {
            groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
        }
        Map<String, List<Map.Entry<Id, List<String>>>> out = new LinkedHashMap<>();
        for (var e : groups.entrySet()) {
            List<Candidate> members = new ArrayList<>(e.getValue());
            members.sort(newestFirst);
            Map<Id, List<String>> reasons = new HashMap<>();
            members.forEach(c -> reasons.put(c.id(), new ArrayList<>()));

            for (int i = 0; i < Math.min(policy.keepLast(), members.size()); i++) {
                reasons.get(members.get(i).id()).add("last");
            }
            List<Function<LocalDateTime, String>> bucketNames = List.of(
                    t -> "hourly " + t.toLocalDate() + " " + (t.getHour() < 10 ? "0" : "") + t.getHour() + ":00",
                    t -> "daily " + t.toLocalDate(),
                    t -> {
                        LocalDate thursday = t.toLocalDate()
                                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusDays(3);
                        int week = (thursday.getDayOfYear() - 1) / 7 + 1;
                        return "weekly " + thursday.getYear() + "-W" + (week < 10 ? "0" : "") + week;
                    },
                    t -> "monthly " + t.getYear() + "-" + (t.getMonthValue() < 10 ? "0" : "") + t.getMonthValue(),
                    t -> "yearly " + t.getYear());
            int[] counts = {policy.keepHourly(), policy.keepDaily(), policy.keepWeekly(),
                    policy.keepMonthly(), policy.keepYearly()};
            for (int rule = 0; rule < counts.length; rule++) {
                Map<String, Candidate> newestInBucket = new HashMap<>();
                for (Candidate c : members) {
                    String bucket = bucketNames.get(rule).apply(LocalDateTime.ofInstant(c.time(), zone));
                    newestInBucket.merge(bucket, c, (x, y) -> newestFirst.compare(x, y) <= 0 ? x : y);
                }
                List<Map.Entry<String, Candidate>> buckets = new ArrayList<>(newestInBucket.entrySet());
                buckets.sort((x, y) -> newestFirst.compare(x.getValue(), y.getValue()));
                for (int i = 0; i < Math.min(counts[rule], buckets.size()); i++) {
                    reasons.get(buckets.get(i).getValue().id()).add(buckets.get(i).getKey());
                }
            }
            if (!policy.keepWithin().isZero()) {
                Instant newest = members.get(0).time();
                for (Candidate c : members) {
                    if (Duration.between(c.time(), newest).compareTo(policy.keepWithin()) <= 0) {
                        reasons.get(c.id()).add("within " + policy.keepWithin().toDays() + "d");
                    }
                }
            }
            for (Candidate c : members) {
                policy.keepTags().stream().filter(c.tags()::contains)
                        .forEach(t -> reasons.get(c.id()).add("tag " + t));
            }
            List<Map.Entry<Id, List<String>>> decisions = new ArrayList<>();
            for (Candidate c : members) {
                decisions.add(Map.entry(c.id(), reasons.get(c.id())));
            }
            out.put(e.getKey(), decisions);
        }
        return out;
    }
}
