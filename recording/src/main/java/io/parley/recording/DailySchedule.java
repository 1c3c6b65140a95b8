package io.parley.recording;

import io.parley.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * When {@link SessionRecorder#startAuto()} switches recordings: one per calendar day in a zone,
 * named {@code <prefix>_YYYY-MM-DD}. Events carry wall-clock instants, audio frames only the
 * session's nanosecond clock, so the next midnight is kept in both forms.
 */
final class DailySchedule {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;

    private final ZoneId zone;
    private final String prefix;
    private boolean on;
    private LocalDate day;
    private long rolloverNanos = Long.MAX_VALUE;

    DailySchedule(ZoneId zone, String prefix) {
        this.zone = zone;
        this.prefix = prefix;
    }

    boolean on() {
        return on;
    }

    void on(boolean v) {
        on = v;
    }

    LocalDate dayOf(Instant at) {
        return LocalDate.ofInstant(at, zone);
    }

    String name(LocalDate d) {
        return prefix + "_" + DAY.format(d);
    }

    /** Whether {@code d} comes after the day being recorded. */
    boolean isLater(LocalDate d) {
        return d.isAfter(day);
    }

    /** Whether audio stamped {@code nanos} belongs after the current day's midnight. */
    boolean pastMidnight(long nanos) {
        return nanos >= rolloverNanos;
    }

    /** Notes that {@code d}'s recording is now open and when, on the session clock, it ends. */
    void opened(LocalDate d, Clock clock) {
        day = d;
        Instant midnight = d.plusDays(1).atStartOfDay(zone).toInstant();
        rolloverNanos = clock.nanoTime() + Duration.between(clock.now(), midnight).toNanos();
    }

    /** Notes that no day's recording is open. */
    void closed() {
        rolloverNanos = Long.MAX_VALUE;
    }
}
