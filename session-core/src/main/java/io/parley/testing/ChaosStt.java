package io.parley.testing;

import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A recognizer for chaos runs: it hears a new word for every {@link #WORD_NANOS} of loud
 * audio it actually receives, reports interim results and finals after random delays, may
 * close utterances itself (endpointing), and fails opens and live streams at random.
 *
 * <p>Like a streaming decoder, each stream decodes its audio some time after it was written (a
 * lag drawn afresh every second of audio, sometimes a stall of seconds, as a decoder starved of
 * CPU) and publishes each result when it has decoded the audio the result ends at. Its endpointing
 * finals (at pauses) come later still, at times seconds later, after interims of the speech that
 * followed the pause, like the finals of a recognizer that rescores, so they often arrive after
 * the session ended the turn; the answer to a finalize comes once all audio written before it is
 * decoded, after every other result. A stream says how far its results reach in one of three ways,
 * drawn per stream: not at all; {@link Transcript#audioEndNanos()} only (as Deepgram does); or
 * that and {@link SttStream#publishedNanos()} (as an in-process decoder does). Every final it
 * delivers is also reported to the {@link SessionProbe} with the finalize it belongs to, so the
 * run can check that each committed turn holds the words of its audio.
 */
final class ChaosStt implements SttProvider {

    static final long WORD_NANOS = Duration.ofMillis(250).toNanos();
    static final double LOUD_RMS = 500;
    /** How much audio a drawn decoding lag lasts for. */
    private static final long LAG_PERIOD_NANOS = Duration.ofSeconds(1).toNanos();
    /** Chance, per lag drawn, that the decoder stalls (starved of CPU) for 1 to 3 s. */
    private static final double STALL_CHANCE = 0.03;
    /** Decoded positions kept per stream while they wait for their decoding time; older ones merge. */
    private static final int DECODING_RING = 256;
    /** Chance that an endpointing final comes a further 0.5 to 4 s late, as a rescoring recognizer's do. */
    private static final double LATE_FINAL_CHANCE = 0.3;

    private final SessionProbe probe;
    private final String name;
    private final ChaosSettings settings;
    private final Random random;
    private final boolean dead;
    private final long endpointingNanos;

    ChaosStt(SessionProbe probe, String name, ChaosSettings settings, Random random, boolean dead, Duration endpointing) {
        this.probe = probe;
        this.name = name;
        this.settings = settings;
        this.random = random;
        this.dead = dead;
        this.endpointingNanos = endpointing == null ? -1 : endpointing.toNanos();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SttStream open(SttRequest request, SttListener listener) {
        probe.blockingCall(name + ".open");
        probe.opened(name + ".open");
        probe.sleep(settings.connect().sampleNanos(random));
        if (dead || random.nextDouble() < settings.openFailure()) {
            probe.note(name + (dead ? " is dead: open fails" : " open fails"));
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION, name + ": chaos open failure");
        }
        return new Stream(listener);
    }

    /**
     * Whether the frame is louder than {@link #LOUD_RMS}, from every fourth sample: the
     * harness's tone and hiss are periodic, and the fake must stay cheap next to the engine.
     */
    static boolean loud(AudioFrame frame) {
        short[] s = frame.samples();
        int n = frame.length();
        long sum = 0;
        int count = 0;
        for (int i = 0; i < n; i += 4) {
            sum += s[i] * s[i];
            count++;
        }
        return count > 0 && sum > LOUD_RMS * LOUD_RMS * count;
    }

    private final class Stream implements SttStream {
        private final SttListener listener;
        private final Sequencer sequencer = new Sequencer(probe.providerClock());
        /**
         * Finals, in their own order: an endpointing final may come seconds after interims of the
         * speech after its pause (a recognizer that rescores), as the turn-coverage tests' does.
         */
        private final Sequencer finals = new Sequencer(probe.providerClock());
        /** Held while a result or an error is handed to the session: one at a time, as from one connection. */
        private final Object delivering = new Object();
        private final StringBuilder pending = new StringBuilder();
        private final Object resource;
        /** Audio still to come before the stream drops (a stream failure). */
        private long untilFailureNanos = ChaosSettings.nanosUntilNext(settings.streamFailuresPerMinute(), random);
        private long loudNanos;
        private long quietNanos;
        private boolean inSpeech;
        private boolean closed;
        /** Whether results say how far they reach, and whether the stream says how far it has published. */
        private final boolean timed;
        private final boolean publishes;
        /** Audio written so far: the stream's timeline. */
        private long consumed;
        /** Where the audio written so far ends on the session's timeline (its clock). */
        private long timelineEnd = Long.MIN_VALUE;
        /** The current decoding lag and how much more audio it lasts for. */
        private long lagNanos;
        private long lagLeftNanos;
        /** Stream positions and the clock readings when their decoding is done, oldest first (a ring). */
        private final long[] decodedPos = new long[DECODING_RING];
        private final long[] decodedAt = new long[DECODING_RING];
        private int ringHead;
        private int ringSize;
        /** Audio decoded as of the latest {@link #publishedNanos()} read. */
        private long decoded;
        /** Where each result on its way to the session ends, oldest first. */
        private final PriorityQueue<Long> inFlight = new PriorityQueue<>();
        /** Words of the finals delivered since the latest answer to a finalize. */
        private final List<String> finalWords = new ArrayList<>();

        Stream(SttListener listener) {
            this.listener = listener;
            this.resource = probe.acquire(name + " stream");
            double mode = random.nextDouble();
            this.timed = mode >= 0.25;
            this.publishes = mode >= 0.6;
        }

        @Override
        public void write(AudioFrame frame) {
            long d = frame.durationNanos();
            Transcript out = null;
            long delay = 0;
            boolean fail;
            synchronized (this) {
                if (closed) {
                    return;
                }
                untilFailureNanos -= d;
                fail = untilFailureNanos < 0;
                if (!fail) {
                    consumed += d;
                    // Where the audio lies on the session's timeline: audio stamped on arrival in a
                    // burst still lasts as long as it was spoken, as the session places it.
                    timelineEnd = Math.max(frame.timestampNanos(), timelineEnd) + d;
                    decodeLater(d);
                    if (loud(frame)) {
                        inSpeech = true;
                        quietNanos = 0;
                        loudNanos += d;
                        if (loudNanos >= WORD_NANOS) {
                            loudNanos -= WORD_NANOS;
                            if (pending.length() > 0) {
                                pending.append(' ');
                            }
                            String word = probe.nextWord();
                            probe.words.wordHeard(word, timelineEnd, !timed && endpointingNanos >= 0);
                            pending.append(word);
                            out = timed(Transcript.interim(pending.toString()));
                            delay = lagNanos;
                        }
                    } else if (inSpeech && endpointingNanos >= 0) {
                        quietNanos += d;
                        if (quietNanos >= endpointingNanos) {
                            inSpeech = false;
                            out = takeFinal();
                            // Finals that rescore come later than interims: often after the session ended the turn.
                            delay = lagNanos + settings.fin().sampleNanos(random);
                            if (random.nextDouble() < LATE_FINAL_CHANCE) {
                                delay += Duration.ofMillis(500 + random.nextInt(3500)).toNanos();
                            }
                        }
                    }
                    if (out != null) {
                        // Queued under the lock, so results and the record of those on their way agree.
                        Transcript t = out;
                        inFlight.add(t.audioEndNanos());
                        if (t.isFinal()) {
                            queueFinal(t, delay, false);
                        } else {
                            sequencer.after(delay, () -> deliver(t, false));
                        }
                    }
                }
            }
            if (fail) {
                probe.note(name + " stream drops");
                fail(new SessionException(ErrorCode.PROVIDER_CONNECTION, name + ": chaos stream failure"));
            }
        }

        /**
         * Delivers a final {@code delayNanos} from now, in order with the other finals, and never
         * before the interims queued before it (the words it finalizes): it joins the finals' queue
         * only once those interims have gone.
         */
        private void queueFinal(Transcript t, long delayNanos, boolean answer) {
            long due = probe.providerClock().nanoTime() + delayNanos;
            sequencer.after(0, () -> finals.after(due - probe.providerClock().nanoTime(), () -> deliver(t, answer)));
        }

        /** The result, saying how far into the audio it reaches if this stream says so. */
        private Transcript timed(Transcript t) {
            return timed ? t.withAudioEnd(consumed) : t;
        }

        private Transcript takeFinal() {
            String text = pending.toString();
            pending.setLength(0);
            loudNanos = 0;
            return timed(new Transcript(text, true, true, 0.9, List.of(), "en"));
        }

        /**
         * The audio just written is decoded after the current lag (never before audio written
         * earlier); a new lag is drawn every {@link #LAG_PERIOD_NANOS} of audio.
         */
        private void decodeLater(long d) {
            lagLeftNanos -= d;
            if (lagLeftNanos < 0) {
                lagLeftNanos = LAG_PERIOD_NANOS;
                lagNanos = settings.interim().sampleNanos(random);
                if (random.nextDouble() < STALL_CHANCE) {
                    lagNanos += Duration.ofMillis(1000 + random.nextInt(2000)).toNanos();
                }
            }
            long at = probe.providerClock().nanoTime() + lagNanos;
            int newest = (ringHead + ringSize - 1) % DECODING_RING;
            if (ringSize > 0) {
                at = Math.max(at, decodedAt[newest]);
            }
            if (ringSize == DECODING_RING) {
                // Full: the newest entry stands for this audio too, decoded no earlier.
                decodedPos[newest] = consumed;
                decodedAt[newest] = at;
                return;
            }
            int slot = (ringHead + ringSize) % DECODING_RING;
            decodedPos[slot] = consumed;
            decodedAt[slot] = at;
            ringSize++;
        }

        @Override
        public synchronized long publishedNanos() {
            if (!publishes) {
                return -1;
            }
            long now = probe.providerClock().nanoTime();
            while (ringSize > 0 && decodedAt[ringHead] <= now) {
                decoded = decodedPos[ringHead];
                ringHead = (ringHead + 1) % DECODING_RING;
                ringSize--;
            }
            // Every word heard before the published point must have been delivered: a result on its
            // way holds a word that ended where the result ends.
            Long first = inFlight.peek();
            return first == null || first < 0 ? decoded : Math.min(decoded, first - 1);
        }

        @Override
        public void finalizeUtterance() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                Transcript t = takeFinal();
                inFlight.add(t.audioEndNanos());
                // Answered once all audio written before it is decoded.
                queueFinal(t, lagNanos + settings.fin().sampleNanos(random), true);
            }
        }

        /** Delivers a result; {@code answer}: the answer to a finalize. */
        private void deliver(Transcript t, boolean answer) {
            List<String> segment = null;
            synchronized (this) {
                inFlight.remove(t.audioEndNanos());
                if (closed) {
                    return;
                }
                if (t.isFinal()) {
                    for (String w : t.text().split(" ")) {
                        if (!w.isEmpty()) {
                            finalWords.add(w);
                        }
                    }
                    if (answer) {
                        segment = List.copyOf(finalWords);
                        finalWords.clear();
                    }
                }
            }
            if (segment != null && !segment.isEmpty()) {
                probe.words.finalizedWords(segment, publishes ? WordLedger.Timings.PUBLISHED : timed ? WordLedger.Timings.AUDIO_ENDS : WordLedger.Timings.NONE);
            }
            synchronized (delivering) {
                probe.callEngine("SttListener.onTranscript", () -> listener.onTranscript(t));
            }
        }

        private void fail(SessionException error) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            // A dropped connection releases itself (a later close() is harmless); the error
            // comes after the interims already on their way and never overlaps a delivery.
            probe.release(resource);
            sequencer.after(0, () -> {
                synchronized (delivering) {
                    probe.callEngine("SttListener.onError", () -> listener.onError(error));
                }
            });
        }

        @Override
        public void close() {
            probe.blockingCall(name + " stream.close");
            synchronized (this) {
                closed = true;
            }
            sequencer.cancel();
            finals.cancel();
            probe.release(resource);
        }
    }
}
