package dev.cairn.repository.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds named synthetic snapshots and reads plans back by name. */
final class Snaps {
    static final String GROUP = "g";

    private final List<Candidate> all = new ArrayList<>();
    private final Map<Id, String> names = new HashMap<>();
    private int next = 1;

    /** An id whose first four bytes are {@code n}, big-endian: ascending n is ascending hex. */
    static Id id(int n) {
        byte[] b = new byte[Id.LENGTH];
        b[0] = (byte) (n >>> 24);
        b[1] = (byte) (n >>> 16);
        b[2] = (byte) (n >>> 8);
        b[3] = (byte) n;
        b[31] = 1;
        return Id.of(b);
    }

    /** A local wall time; inside a fall-back overlap, the first (summer time) of the two instants. */
    static ZonedDateTime at(String localDateTime, ZoneId zone) {
        LocalDateTime ldt = LocalDateTime.parse(localDateTime);
        ZonedDateTime t = ZonedDateTime.ofLocal(ldt, zone, null).withEarlierOffsetAtOverlap();
        assertThat(t.toLocalDateTime()).as("%s exists in %s", ldt, zone).isEqualTo(ldt);
        return t;
    }

    /** The second of the two instants with this local time in a fall-back overlap. */
    static ZonedDateTime second(String localDateTime, ZoneId zone) {
        ZonedDateTime first = at(localDateTime, zone);
        ZonedDateTime later = first.withLaterOffsetAtOverlap();
        assertThat(later.toInstant()).as("%s is ambiguous in %s", localDateTime, zone)
                .isEqualTo(first.toInstant().plusSeconds(3600));
        return later;
    }

    /** Adds a snapshot named by its local time with offset, e.g. {@code 2024-11-03T01:30-05:00}. */
    Snaps add(ZonedDateTime t, String... tags) {
        return add(next++, t.toOffsetDateTime().toString(), t.toInstant(), GROUP, tags);
    }

    Snaps add(String name, Instant t, String group, String... tags) {
        return add(next++, name, t, group, tags);
    }

    Snaps add(int id, String name, Instant t, String group, String... tags) {
        Candidate c = new Candidate(id(id), t, group, Set.of(tags));
        assertThat(names.put(c.id(), name)).isNull();
        all.add(c);
        return this;
    }

    List<Candidate> all() {
        return all;
    }

    String name(Candidate c) {
        return names.get(c.id());
    }

    Map<String, List<Decision>> plan(Policy policy, ZoneId zone) {
        return RetentionPlanner.plan(all, policy, zone);
    }

    /** The survivors of the default group, newest first. */
    List<String> kept(Policy policy, ZoneId zone) {
        return kept(plan(policy, zone), GROUP);
    }

    List<String> kept(Map<String, List<Decision>> plan, String group) {
        List<String> out = new ArrayList<>();
        for (Decision d : plan.get(group)) {
            if (d.keep()) {
                out.add(name(d.snapshot()));
            }
        }
        return out;
    }

    /** Every snapshot of the default group, newest first, with its reasons (empty: removed). */
    Map<String, List<String>> reasons(Policy policy, ZoneId zone) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Decision d : plan(policy, zone).get(GROUP)) {
            out.put(name(d.snapshot()), d.reasons());
        }
        return out;
    }

    static Policy last(int n) {
        return new Policy(n, 0, 0, 0, 0, 0, null, null);
    }

    static Policy hourly(int n) {
        return new Policy(0, n, 0, 0, 0, 0, null, null);
    }

    static Policy daily(int n) {
        return new Policy(0, 0, n, 0, 0, 0, null, null);
    }

    static Policy weekly(int n) {
        return new Policy(0, 0, 0, n, 0, 0, null, null);
    }

    static Policy monthly(int n) {
        return new Policy(0, 0, 0, 0, n, 0, null, null);
    }

    static Policy yearly(int n) {
        return new Policy(0, 0, 0, 0, 0, n, null, null);
    }
}
