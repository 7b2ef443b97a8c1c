package dev.cairn.repository.retention;

import dev.cairn.format.Id;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Decides which snapshots a {@link Policy} keeps. Pure logic: no I/O, no clock; the same input
 * always gives the same plan.
 *
 * <p><b>Groups.</b> Snapshots are planned per {@link Candidate#group() group}, each group on its
 * own, as if the others did not exist.
 *
 * <p><b>Order.</b> Within a group, snapshots are ordered newest first by time; snapshots with the
 * same time are ordered by id, ascending (as hex), and the one first in that order counts as the
 * newer. "Newest" below means first in this order.
 *
 * <p><b>Rules.</b>
 * <ul>
 *   <li><b>keep-last N</b> keeps the N newest snapshots (all of them if there are fewer).
 *       Reason: {@code last}.</li>
 *   <li><b>keep-hourly, -daily, -weekly, -monthly, -yearly N</b>: each snapshot falls into one
 *       bucket per rule, by its local wall time in the given zone (via {@link ZonedDateTime}):
 *       hourly by local date and hour, daily by local date, weekly by ISO week-based year and ISO
 *       week number (Monday to Sunday, so 2024-12-30 lies in 2025-W01 and 2021-01-03 in
 *       2020-W53), monthly by local year and month, yearly by local year. Walking from newest to
 *       oldest, the first snapshot met in a bucket not yet kept by that rule is kept, until the
 *       rule has kept N buckets: so the rule keeps the newest snapshot of each of the N newest
 *       buckets that hold a snapshot. Buckets without snapshots do not count (as in restic): daily
 *       7 over a month with backups on 7 days keeps those 7, however far apart. Across a DST
 *       change buckets follow the wall clock: at the fall-back hour two instants an hour apart
 *       with the same local hour share one hourly bucket, a 25-hour day is one daily bucket, and a
 *       local hour skipped at spring-forward simply holds no snapshot. Reasons: {@code hourly
 *       2024-10-27 02:00}, {@code daily 2024-03-31}, {@code weekly 2025-W01}, {@code monthly
 *       2024-03}, {@code yearly 2024}, naming the bucket.</li>
 *   <li><b>keep-within D</b> keeps every snapshot whose time is at or after (the group's newest
 *       time − D). It counts back from the group's newest snapshot, not from now, so a group that
 *       stopped backing up keeps its last stretch and is never emptied by this rule. A D reaching
 *       before the earliest representable time keeps everything. Reason: {@code within } and D as
 *       {@link Durations#format} writes it, e.g. {@code within 30d}.</li>
 *   <li><b>keep-tag T…</b> keeps every snapshot that carries at least one of the tags (exact,
 *       case-sensitive match). Reason: {@code tag } and the tag, once for each of the policy's
 *       tags the snapshot carries, in the policy's tag order, e.g. {@code tag important}.</li>
 * </ul>
 *
 * <p>A snapshot is kept if any rule keeps it, and removed otherwise. Its reasons list every rule
 * that keeps it, in the order last, hourly, daily, weekly, monthly, yearly, within, tags. The
 * rules do not influence each other: a snapshot kept by keep-last still takes its day's bucket
 * for keep-daily. An {@linkplain Policy#isEmpty() empty policy} keeps everything, each snapshot
 * with the single reason {@code no policy} ({@code cairn forget} refuses an empty policy anyway).
 */
public final class RetentionPlanner {
    /** Newest first; on equal times, ascending id (unsigned bytes, the same as ascending hex). */
    static final Comparator<Candidate> NEWEST_FIRST =
            Comparator.comparing(Candidate::time).reversed().thenComparing(Candidate::id);

    /** The bucket rules, in reason order. */
    enum Bucket {
        HOURLY("hourly", Policy::keepHourly,
                t -> t.toLocalDate() + String.format(Locale.ROOT, " %02d:00", t.getHour())),
        DAILY("daily", Policy::keepDaily, t -> t.toLocalDate().toString()),
        WEEKLY("weekly", Policy::keepWeekly, t -> String.format(Locale.ROOT, "%d-W%02d",
                t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))),
        MONTHLY("monthly", Policy::keepMonthly, t -> YearMonth.from(t).toString()),
        YEARLY("yearly", Policy::keepYearly, t -> Integer.toString(t.getYear()));

        final String rule;
        final ToIntFunction<Policy> count;
        final Function<ZonedDateTime, String> key;

        Bucket(String rule, ToIntFunction<Policy> count, Function<ZonedDateTime, String> key) {
            this.rule = rule;
            this.count = count;
            this.key = key;
        }
    }

    private RetentionPlanner() {}

    /**
     * Plans every group.
     *
     * @param snapshots the snapshots, in any order; each id at most once
     * @param policy what to keep
     * @param zone the time zone whose wall clock defines hours, days, weeks, months and years
     * @return an unmodifiable map from group to the group's decisions, newest first (see the class
     *     documentation); groups in ascending order of name ({@link String#compareTo}); no entry
     *     for a group without snapshots, so no snapshots give an empty map
     * @throws IllegalArgumentException if an id occurs twice
     */
    public static Map<String, List<Decision>> plan(List<Candidate> snapshots, Policy policy, ZoneId zone) {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(zone, "zone");
        Map<String, List<Candidate>> groups = new TreeMap<>();
        Set<Id> ids = new HashSet<>();
        for (Candidate c : snapshots) {
            Objects.requireNonNull(c, "snapshot");
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("snapshot " + c.id() + " is listed twice");
            }
            groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
        }
        Map<String, List<Decision>> plan = new LinkedHashMap<>();
        groups.forEach((group, members) -> plan.put(group, planGroup(members, policy, zone)));
        return Collections.unmodifiableMap(plan);
    }

    private static List<Decision> planGroup(List<Candidate> members, Policy policy, ZoneId zone) {
        List<Candidate> sorted = new ArrayList<>(members);
        sorted.sort(NEWEST_FIRST);
        int n = sorted.size();
        List<List<String>> reasons = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            reasons.add(new ArrayList<>(2));
        }
        if (policy.isEmpty()) {
            reasons.forEach(r -> r.add("no policy"));
        } else {
            for (int i = 0; i < Math.min(policy.keepLast(), n); i++) {
                reasons.get(i).add("last");
            }
            keepBuckets(sorted, reasons, policy, zone);
            keepWithin(sorted, reasons, policy.keepWithin());
            for (int i = 0; i < n; i++) {
                Set<String> tags = sorted.get(i).tags();
                for (String tag : policy.keepTags()) {
                    if (tags.contains(tag)) {
                        reasons.get(i).add("tag " + tag);
                    }
                }
            }
        }
        List<Decision> decisions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            decisions.add(new Decision(sorted.get(i), reasons.get(i)));
        }
        return Collections.unmodifiableList(decisions);
    }

    private static void keepBuckets(List<Candidate> sorted, List<List<String>> reasons,
                                    Policy policy, ZoneId zone) {
        List<ZonedDateTime> local = null;
        for (Bucket bucket : Bucket.values()) {
            int limit = bucket.count.applyAsInt(policy);
            if (limit == 0) {
                continue;
            }
            if (local == null) {
                local = new ArrayList<>(sorted.size());
                for (Candidate c : sorted) {
                    local.add(c.time().atZone(zone));
                }
            }
            Set<String> kept = new HashSet<>();
            for (int i = 0; i < sorted.size() && kept.size() < limit; i++) {
                String key = bucket.key.apply(local.get(i));
                if (kept.add(key)) {
                    reasons.get(i).add(bucket.rule + " " + key);
                }
            }
        }
    }

    private static void keepWithin(List<Candidate> sorted, List<List<String>> reasons, Duration within) {
        if (within.isZero() || sorted.isEmpty()) {
            return;
        }
        Instant cutoff;
        try {
            cutoff = sorted.get(0).time().minus(within);
        } catch (DateTimeException | ArithmeticException e) {
            cutoff = Instant.MIN;
        }
        String reason = "within " + Durations.describe(within);
        for (int i = 0; i < sorted.size(); i++) {
            if (!sorted.get(i).time().isBefore(cutoff)) {
                reasons.get(i).add(reason);
            }
        }
    }
}
