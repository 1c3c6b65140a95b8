package io.parley.session;

import io.parley.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns key presses into text turns: digits are collected until the terminator key or a pause
 * of {@code interDigitTimeout}, then handed over as one string, typically to
 * {@code VoiceSession::sendText}, so "press 1 for sales" menus and account numbers reach the
 * agent like spoken words. Digits still collected when the session ends are dropped with it.
 *
 * <pre>{@code
 * session.addListener(DtmfTurns.builder(digits -> session.sendText("The caller pressed " + digits)).build());
 * }</pre>
 */
public final class DtmfTurns implements SessionListener {

    private final Consumer<String> sink;
    private final char terminator;
    private final long timeoutNanos;
    private final Clock clock;
    private final StringBuilder digits = new StringBuilder();
    private Clock.Cancellable timer;
    private long generation;

    private DtmfTurns(Builder b) {
        this.sink = b.sink;
        this.terminator = b.terminator;
        this.timeoutNanos = b.interDigitTimeout.toNanos();
        this.clock = b.clock;
    }

    /** A builder delivering each collected string to {@code sink}. */
    public static Builder builder(Consumer<String> sink) {
        return new Builder(sink);
    }

    @Override
    public void onDtmf(DtmfEvent event) {
        char digit = event.digit();
        String done = null;
        synchronized (this) {
            cancelTimer();
            if (digit == terminator) {
                done = take();
            } else {
                digits.append(digit);
                long gen = ++generation;
                timer = clock.schedule(() -> timedOut(gen), timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
        deliver(done);
    }

    @Override
    public void onStateChanged(StateChange change) {
        if (change.to() == SessionState.ENDED) {
            synchronized (this) {
                cancelTimer();
                digits.setLength(0);
            }
        }
    }

    private void timedOut(long gen) {
        String done;
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            timer = null;
            done = take();
        }
        deliver(done);
    }

    private String take() {
        String s = digits.toString();
        digits.setLength(0);
        return s;
    }

    private void cancelTimer() {
        generation++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void deliver(String s) {
        if (s != null && !s.isEmpty()) {
            sink.accept(s);
        }
    }

    /** Configures {@link DtmfTurns}. */
    public static final class Builder {
        private final Consumer<String> sink;
        private char terminator = '#';
        private Duration interDigitTimeout = Duration.ofSeconds(2);
        private Clock clock = Clock.system();

        Builder(Consumer<String> sink) {
            if (sink == null) {
                throw new IllegalArgumentException("sink must not be null");
            }
            this.sink = sink;
        }

        /** The key that ends a string at once ['#']; it is not included. */
        public Builder terminator(char key) {
            if (DtmfEvent.DIGITS.indexOf(key) < 0) {
                throw new IllegalArgumentException("'" + key + "' is not a DTMF key (0-9, *, #, A-D)");
            }
            this.terminator = key;
            return this;
        }

        /** The pause after which collected digits are sent [2 s]. */
        public Builder interDigitTimeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("interDigitTimeout must be positive, was " + d);
            }
            this.interDigitTimeout = d;
            return this;
        }

        /** The clock timers run on [system]. */
        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        /** The listener; add it to the session with {@link VoiceSession#addListener}. */
        public DtmfTurns build() {
            return new DtmfTurns(this);
        }
    }
}
