package io.parley.testing;

import io.parley.session.PlaybackHandle;
import io.parley.session.SayOptions;
import io.parley.session.SessionException;
import io.parley.session.VoiceSession;
import io.parley.testing.Violation.Invariant;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The public API calls a {@link ChaosSession} makes on its session at random while its input
 * goes on: say (and cancel), sendText (also blank), interrupt, start and stop, sync and async,
 * in every order. Only a {@link SessionException} may come out of a call, and every future a
 * call returns is tracked until it completes. No call starts once the input has stopped.
 */
final class ChaosCalls {

    /** Runs a step some session time from now on an actor thread. */
    @FunctionalInterface
    interface Steps {
        void later(long sessionNanos, Runnable step);
    }

    private enum Op { SAY, SAY_AND_CANCEL, SEND_TEXT, SEND_BLANK, INTERRUPT, STOP, START, STOP_THEN_START, START_THEN_STOP }

    private static final Op[] OPS = Op.values();
    private static final int[] OP_WEIGHTS = {18, 4, 14, 2, 20, 6, 10, 5, 5};

    private final SessionProbe probe;
    private final TrackedFutures futures;
    /** The session's own random stream, shared with the rest of its plan. */
    private final Random random;
    private final ScheduledExecutorService actors;
    private final Steps steps;
    private volatile VoiceSession session;
    private volatile boolean inputStopped;
    private int texts;

    ChaosCalls(SessionProbe probe, TrackedFutures futures, Random random, ScheduledExecutorService actors, Steps steps) {
        this.probe = probe;
        this.futures = futures;
        this.random = random;
        this.actors = actors;
        this.steps = steps;
    }

    /** The session the calls go to, once built. */
    void session(VoiceSession session) {
        this.session = session;
    }

    /** The input stopped: calls still scheduled (or delayed on a busy actor) no longer run. */
    void inputStopped() {
        inputStopped = true;
    }

    /** Schedules calls at {@code perMinute} (a Poisson process) until {@code untilNanos} of session time. */
    void schedule(double perMinute, long untilNanos) {
        double perNano = perMinute / Duration.ofMinutes(1).toNanos();
        if (perNano <= 0) {
            return;
        }
        long t = 0;
        int total = 0;
        for (int w : OP_WEIGHTS) {
            total += w;
        }
        while (true) {
            t += (long) (-Math.log(1 - random.nextDouble()) / perNano);
            if (t >= untilNanos) {
                return;
            }
            int pick = random.nextInt(total);
            int k = 0;
            while (pick >= OP_WEIGHTS[k]) {
                pick -= OP_WEIGHTS[k++];
            }
            Op op = OPS[k];
            boolean variant = random.nextBoolean();
            steps.later(t, () -> op(op, variant));
        }
    }

    /** The first call: the session's start(). */
    void first() {
        op(Op.START, random.nextBoolean());
    }

    private void op(Op op, boolean variant) {
        if (inputStopped) {
            return; // a call delayed on a busy actor thread must not run after input stopped
        }
        switch (op) {
            case SAY, SAY_AND_CANCEL -> api("say", () -> {
                PlaybackHandle h = session.say("announcement number " + (++texts), variant ? SayOptions.DEFAULT : SayOptions.UNINTERRUPTIBLE);
                futures.track("say().playout()", h.playout());
                if (op == Op.SAY_AND_CANCEL) {
                    steps.later(millis(random.nextInt(1500)), () -> {
                        if (!inputStopped) {
                            api("PlaybackHandle.cancel", h::cancel);
                        }
                    });
                }
            });
            case SEND_TEXT -> {
                String text = "typed message " + (++texts);
                sendText(text);
            }
            case SEND_BLANK -> {
                try {
                    session.sendText(" ");
                    probe.violation(Invariant.UNTYPED_ERROR, "sendText(\" \") did not throw IllegalArgumentException");
                } catch (IllegalArgumentException expected) {
                    // documented
                } catch (Throwable t) {
                    probe.violation(Invariant.UNTYPED_ERROR, "sendText(\" \") threw " + t + " instead of IllegalArgumentException");
                }
            }
            case INTERRUPT -> api("interrupt", () -> {
                probe.interruptRequested();
                session.interrupt();
            });
            case STOP -> stop(variant);
            case START -> start(variant);
            case STOP_THEN_START -> {
                actors.execute(() -> {
                    if (!inputStopped) {
                        stop(variant);
                    }
                });
                actors.execute(() -> {
                    if (!inputStopped) {
                        start(!variant);
                    }
                });
            }
            case START_THEN_STOP -> {
                start(true);
                steps.later(millis(random.nextInt(300)), () -> {
                    if (!inputStopped) {
                        stop(variant);
                    }
                });
            }
        }
    }

    private void sendText(String text) {
        api("sendText(\"" + text + "\")", () -> {
            probe.excuseOutstanding("superseded by sendText");
            CompletableFuture<String> f = session.sendText(text);
            f.whenComplete((r, e) -> probe.sendTextSettled(text, e == null ? "sendText completed" : "sendText failed: " + e));
            futures.track("sendText()", f);
        });
    }

    private void start(boolean async) {
        probe.startBegins();
        if (async) {
            CompletableFuture<Void> f;
            probe.apiCall("startAsync()");
            try {
                f = session.startAsync();
            } catch (Throwable t) {
                probe.startEnds();
                probe.violation(Invariant.UNTYPED_ERROR, "startAsync() threw " + t);
                return;
            }
            f.whenComplete((r, e) -> {
                probe.startFailed(e);
                probe.startEnds();
            });
            futures.track("startAsync()", f);
        } else {
            try {
                api("start", () -> {
                    try {
                        session.start();
                    } catch (SessionException e) {
                        probe.startFailed(e);
                        throw e;
                    }
                });
            } finally {
                probe.startEnds();
            }
        }
    }

    private void stop(boolean async) {
        probe.excuseOutstanding("stop()");
        if (async) {
            api("stopAsync", () -> futures.track("stopAsync()", session.stopAsync()));
        } else {
            api("stop", session::stop);
        }
    }

    /** Runs a public call; only {@link SessionException} is an allowed failure. */
    void api(String name, Runnable call) {
        probe.apiCall(name + "()");
        try {
            call.run();
        } catch (SessionException expected) {
            // typed: e.g. SESSION_NOT_ACTIVE, or the provider error that failed a start
        } catch (Throwable t) {
            probe.violation(Invariant.UNTYPED_ERROR, name + "() threw " + t);
        }
    }

    private static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
