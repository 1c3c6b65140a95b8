package io.parley.session;

import io.parley.audio.AudioFrame;
import io.parley.spi.TtsStream;
import io.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One piece of agent speech: its text, its synthesis stream and, while it is the active
 * speech, the session's audio buffer. Synthesized audio arrives on the provider's thread into
 * that {@link SpeechBuffer}; everything else is touched only on the session's event loop.
 */
final class Speech implements PlaybackHandle {

    final long id;
    final long turnId;
    final SayOptions options;
    final boolean fromAgent;
    /** What the synthesizer is given: the written text after the session's {@code SpeechText}. */
    final StringBuilder text = new StringBuilder();
    /** The text as the agent or {@code say} wrote it; what transcripts and history report. */
    final StringBuilder written = new StringBuilder();
    /** Turns written text into spoken text; null when the session's chain is empty. */
    io.parley.text.speech.SpeechTextStream spokenForm;
    private final SpeechBuffer buffer;
    final CompletableFuture<PlaybackResult> result = new CompletableFuture<>();
    final List<WordTiming> timings = new ArrayList<>();

    /** Synthesis attempt; events from older attempts are ignored. */
    int attempt;
    TtsStream tts;
    int providerIndex = -1;
    String provider = "";
    boolean opening;
    int pushed;
    boolean textDone;
    boolean ttsComplete;
    int ttsFailures;
    /** Samples synthesized so far; guarded by the buffer's monitor. */
    long synthesized;
    long firstTextNanos = -1;
    long firstAudioNanos = -1;
    boolean started;
    /** Clock reading when its first audio went to the transport; valid once {@link #started}. */
    long startedNanos;
    long startPos;
    long sent;
    boolean done;
    volatile boolean interrupted;

    private final Consumer<Speech> canceller;

    Speech(long id, long turnId, SayOptions options, boolean fromAgent, SpeechBuffer buffer, Consumer<Speech> canceller) {
        this.id = id;
        this.turnId = turnId;
        this.options = options;
        this.fromAgent = fromAgent;
        this.buffer = buffer;
        this.canceller = canceller;
    }

    /** Copies synthesized audio in; called on the provider's thread. Returns true for the first audio. */
    boolean offer(AudioFrame frame) {
        return buffer.offer(this, frame);
    }

    int poll(short[] out, int max) {
        return buffer.poll(this, out, max);
    }

    boolean audioEmpty() {
        return buffer.empty(this);
    }

    long synthesizedSamples() {
        return buffer.synthesized(this);
    }

    /** Takes the session's audio buffer for this speech. */
    void claimBuffer() {
        buffer.assign(this);
    }

    void discardAudio() {
        buffer.release(this);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public CompletableFuture<PlaybackResult> playout() {
        return result;
    }

    @Override
    public PlaybackResult awaitPlayout(Duration timeout) {
        return await(result, timeout, "speech " + id, ErrorCode.TTS_ERROR);
    }

    /** Waits for a playout, as {@link PlaybackHandle#awaitPlayout} documents. */
    static PlaybackResult await(CompletableFuture<PlaybackResult> playout, Duration timeout, String what,
                                ErrorCode failure) {
        requireTimeout(timeout);
        try {
            return playout.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SessionException(ErrorCode.TIMEOUT, what + " did not finish playing within " + timeout, e);
        } catch (ExecutionException e) {
            throw SessionException.wrap(failure, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(ErrorCode.INTERNAL_ERROR, "interrupted while waiting for " + what, e);
        }
    }

    static void requireTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be null or negative, was " + timeout);
        }
    }

    @Override
    public void cancel() {
        canceller.accept(this);
    }

    @Override
    public boolean interrupted() {
        return interrupted;
    }
}
