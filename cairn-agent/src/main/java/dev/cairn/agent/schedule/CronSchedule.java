package dev.cairn.agent.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** A 5-field Unix cron expression evaluated in one time zone. */
final class CronSchedule {
    private static final CronParser PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime times;
    private final ZoneId zone;

    CronSchedule(String expression, ZoneId zone) {
        this.times = ExecutionTime.forCron(PARSER.parse(expression));
        this.zone = zone;
    }

    /** The latest scheduled time at or before {@code now}. */
    Optional<Instant> latestAtOrBefore(Instant now) {
        // Cron times fall on whole minutes; the library's "last" is strictly before its argument.
        ZonedDateTime minute = now.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        if (times.isMatch(minute)) {
            return Optional.of(minute.toInstant());
        }
        return times.lastExecution(minute).map(ZonedDateTime::toInstant);
    }

    /** The first scheduled time strictly after {@code now}. */
    Optional<Instant> nextAfter(Instant now) {
        return times.nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /** Whether a scheduled time lies in {@code (after, now]}. */
    Optional<Instant> passedSince(Instant after, Instant now) {
        return latestAtOrBefore(now).filter(slot -> slot.isAfter(after));
    }
}
