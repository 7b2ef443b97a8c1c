package dev.cairn.repository.retention;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What to keep: the rules of {@code cairn forget}. A count of zero, a zero or null
 * {@code keepWithin} and a null or empty {@code keepTags} mean "rule not used". What each rule
 * keeps is specified on {@link RetentionPlanner}; a snapshot is kept if any rule keeps it.
 *
 * <p>The constructor normalises and checks: a null {@code keepWithin} becomes
 * {@link Duration#ZERO}, a null {@code keepTags} the empty set, and {@code keepTags} becomes an
 * unmodifiable copy iterated in ascending order of UTF-8 bytes. It throws
 * {@link IllegalArgumentException} for a negative count, a negative {@code keepWithin} or one
 * with a fraction of a second; a tag that is empty, longer than 1024 bytes of UTF-8 or not
 * well-formed Unicode (a lone surrogate); tags that together would make the encoding longer than
 * 65 536 bytes; and {@link NullPointerException} for a null tag. So every policy
 * {@linkplain #encode() encodes} to at most 64 KiB and decodes back to an equal one.
 *
 * @param keepLast keep the newest N snapshots
 * @param keepHourly keep the newest snapshot of each of the newest N local hours that have one
 * @param keepDaily the same per local day
 * @param keepWeekly the same per ISO week (week-based year and week number)
 * @param keepMonthly the same per local month
 * @param keepYearly the same per local year
 * @param keepWithin keep every snapshot at most this long before the group's newest snapshot
 * @param keepTags keep every snapshot carrying any of these tags
 */
public record Policy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly,
                     int keepYearly, Duration keepWithin, Set<String> keepTags) {
    static final int VERSION = 1;
    /** Bounds the tag count on decoding; the encoded length bounds it further. */
    static final int MAX_TAGS = 65_536;
    static final int MAX_TAG_BYTES = 1024;
    /** The longest encoding: what fits a stored policy file comfortably. */
    static final int MAX_ENCODED = 65_536;
    /** Tags are ordered by their UTF-8 bytes, unsigned, as the repository format orders names. */
    static final Comparator<String> TAG_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** The empty policy: no rule used. */
    public static final Policy NONE = new Policy(0, 0, 0, 0, 0, 0, null, null);

    public Policy {
        checkCount("keep-last", keepLast);
        checkCount("keep-hourly", keepHourly);
        checkCount("keep-daily", keepDaily);
        checkCount("keep-weekly", keepWeekly);
        checkCount("keep-monthly", keepMonthly);
        checkCount("keep-yearly", keepYearly);
        if (keepWithin == null) {
            keepWithin = Duration.ZERO;
        }
        if (keepWithin.isNegative()) {
            throw new IllegalArgumentException("keep-within cannot be negative: " + keepWithin);
        }
        if (keepWithin.getNano() != 0) {
            throw new IllegalArgumentException(
                    "keep-within must be a whole number of seconds: " + keepWithin);
        }
        keepTags = checkTags(keepTags);
    }

    private static void checkCount(String rule, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(rule + " cannot be negative: " + n);
        }
    }

    private static SortedSet<String> checkTags(Set<String> tags) {
        TreeSet<String> sorted = new TreeSet<>(TAG_ORDER);
        if (tags != null) {
            for (String t : tags) {
                Objects.requireNonNull(t, "a keep-tag is null");
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("a keep-tag cannot be empty");
                }
                if (!wellFormed(t)) {
                    throw new IllegalArgumentException("keep-tag '" + t + "' is not valid Unicode");
                }
                if (t.getBytes(StandardCharsets.UTF_8).length > MAX_TAG_BYTES) {
                    throw new IllegalArgumentException(
                            "a keep-tag has more than " + MAX_TAG_BYTES + " bytes");
                }
                sorted.add(t);
            }
            // Version, six counts of at most 5 bytes, keep-within, tag count, tags.
            long size = 1 + 6 * 5 + 8 + varintLength(sorted.size());
            for (String t : sorted) {
                int len = t.getBytes(StandardCharsets.UTF_8).length;
                size += varintLength(len) + len;
            }
            if (size > MAX_ENCODED) {
                throw new IllegalArgumentException("the keep-tags are too long together: a policy"
                        + " must encode to at most " + MAX_ENCODED + " bytes");
            }
        }
        return Collections.unmodifiableSortedSet(sorted);
    }

    private static int varintLength(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** True if no rule is used. The planner then keeps everything; {@code forget} refuses it. */
    public boolean isEmpty() {
        return keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0
                && keepMonthly == 0 && keepYearly == 0 && keepWithin.isZero() && keepTags.isEmpty();
    }

    /**
     * The policy as bytes: {@code u8} version 1; {@code varint} keep-last, -hourly, -daily,
     * -weekly, -monthly, -yearly in that order; {@code u64} keep-within in seconds (0 = not used);
     * {@code varint} n, then n tags as {@code string}s (each 1 to 1024 bytes), in ascending order
     * of their UTF-8 bytes, each once. Encodings as in docs/design.md; at most 65 536 bytes in
     * all.
     */
    public byte[] encode() {
        ByteWriter w = new ByteWriter(64).u8(VERSION)
                .varint(keepLast).varint(keepHourly).varint(keepDaily)
                .varint(keepWeekly).varint(keepMonthly).varint(keepYearly)
                .u64(keepWithin.getSeconds())
                .varint(keepTags.size());
        keepTags.forEach(w::string);
        return w.toByteArray();
    }

    /**
     * Reads what {@link #encode()} wrote. Every count and length is bounded; more than 65 536
     * bytes, a version other than 1, a count above {@link Integer#MAX_VALUE}, a keep-within above 2<sup>63</sup>−1 seconds,
     * tags out of order, repeated, empty, too long or not UTF-8, truncation and trailing bytes
     * all end in a {@link CorruptDataException}.
     */
    public static Policy decode(byte[] b) throws CorruptDataException {
        Objects.requireNonNull(b, "bytes");
        if (b.length > MAX_ENCODED) {
            throw new CorruptDataException("retention policy has " + b.length
                    + " bytes, more than the allowed " + MAX_ENCODED);
        }
        ByteReader r = new ByteReader(b, "retention policy");
        int version = r.u8();
        if (version != VERSION) {
            throw new CorruptDataException("retention policy has version " + version
                    + ", but this Cairn reads version " + VERSION
                    + (version > VERSION ? ": it was written by a newer Cairn" : ""));
        }
        int last = r.count(Integer.MAX_VALUE);
        int hourly = r.count(Integer.MAX_VALUE);
        int daily = r.count(Integer.MAX_VALUE);
        int weekly = r.count(Integer.MAX_VALUE);
        int monthly = r.count(Integer.MAX_VALUE);
        int yearly = r.count(Integer.MAX_VALUE);
        long within = r.u64();
        if (within < 0) {
            throw new CorruptDataException("retention policy holds a keep-within of more than "
                    + Long.MAX_VALUE + " seconds");
        }
        int n = r.count(MAX_TAGS);
        List<String> tags = new ArrayList<>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            String t = r.string(MAX_TAG_BYTES);
            if (t.isEmpty()) {
                throw new CorruptDataException("retention policy holds an empty tag");
            }
            if (i > 0 && TAG_ORDER.compare(tags.get(i - 1), t) >= 0) {
                throw new CorruptDataException("retention policy holds tags out of order or twice");
            }
            tags.add(t);
        }
        r.expectEnd();
        try {
            return new Policy(last, hourly, daily, weekly, monthly, yearly,
                    Duration.ofSeconds(within), Set.copyOf(tags));
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException("retention policy is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * For people, e.g. {@code keep last 3, daily 7, weekly 4, within 30d, tags [important]}: the
     * used rules in the order last, hourly, daily, weekly, monthly, yearly, within (as
     * {@link Durations#format}), tags (sorted). The empty policy is
     * {@code keep everything (empty policy)}.
     */
    public String describe() {
        if (isEmpty()) {
            return "keep everything (empty policy)";
        }
        List<String> parts = new ArrayList<>();
        count(parts, "last", keepLast);
        count(parts, "hourly", keepHourly);
        count(parts, "daily", keepDaily);
        count(parts, "weekly", keepWeekly);
        count(parts, "monthly", keepMonthly);
        count(parts, "yearly", keepYearly);
        if (!keepWithin.isZero()) {
            parts.add("within " + Durations.describe(keepWithin));
        }
        if (!keepTags.isEmpty()) {
            parts.add("tags " + keepTags);
        }
        return "keep " + String.join(", ", parts);
    }

    private static void count(List<String> parts, String rule, int n) {
        if (n != 0) {
            parts.add(rule + " " + n);
        }
    }
}
