package io.parley.providers.local.tts;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Resampler;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsStream;
import io.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A reply synthesised sentence by sentence on an executor, one sentence at a time and in order,
 * resampled to the requested rate when the engine's differs. Word timings, when the engine gives
 * them, go out before each sentence's audio, relative to the reply's first sample. Audio leaves in 20 ms frames of the requested format through one reused frame; cancellation is
 * checked before every frame, so at most the frame being delivered when {@link #cancel()} is
 * called still reaches the listener.
 */
final class SentenceStream implements TtsStream {

    private final Synthesizer synth;
    private final Executor executor;
    private final TtsListener listener;
    private final AudioFormat format;
    private final AudioFrame frame;
    private final int frameSamples;
    /** Converts the engine's rate to the requested one; null when they match. Used by the drain task only. */
    private final Resampler resampler;

    private final Object lock = new Object();
    private final SentenceSplitter splitter = new SentenceSplitter();
    private final ArrayDeque<String> sentences = new ArrayDeque<>();
    private boolean flushed;
    private boolean running;
    private boolean completed;
    /** Interleaved samples delivered so far (drain task only): where the next sentence starts. */
    private long deliveredSamples;
    /** Set by cancel, close or a synthesis failure: nothing more is delivered. */
    private volatile boolean stopped;

    SentenceStream(Synthesizer synth, Executor executor, TtsListener listener, AudioFormat format) {
        this.synth = synth;
        this.executor = executor;
        this.listener = listener;
        this.format = format;
        this.frameSamples = format.samplesFor(20);
        this.frame = AudioFrame.allocate(format, frameSamples);
        this.resampler = synth.sampleRate() == format.sampleRate() ? null
                : Resampler.create(synth.sampleRate(), format.sampleRate(), 1);
    }

    /** Checks that {@code format} is the engine's rate or one {@link Resampler} converts to. */
    static void checkFormat(AudioFormat format, int nativeRate) {
        if (format.sampleRate() != nativeRate
                && !(Resampler.supports(nativeRate) && Resampler.supports(format.sampleRate()))) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "this synthesizer produces " + nativeRate
                    + " Hz audio and cannot convert it to " + format.sampleRate()
                    + " Hz (supported: 8000, 16000, 22050, 24000, 44100, 48000)");
        }
    }

    @Override
    public void pushText(String chunk) {
        if (chunk == null || chunk.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (flushed) {
                throw new IllegalStateException("pushText after flush");
            }
            splitter.push(chunk, sentences::addLast);
            schedule();
        }
    }

    @Override
    public void flush() {
        synchronized (lock) {
            if (stopped || flushed) {
                return;
            }
            flushed = true;
            splitter.finish(sentences::addLast);
            schedule();
        }
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            stopped = true;
            sentences.clear();
        }
    }

    @Override
    public void close() {
        cancel();
    }

    /** Starts the drain task unless it is already running; caller holds {@code lock}. */
    private void schedule() {
        if (!running) {
            running = true;
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            String sentence;
            boolean complete = false;
            synchronized (lock) {
                sentence = stopped ? null : sentences.pollFirst();
                if (sentence == null) {
                    running = false;
                    complete = flushed && !stopped && !completed;
                    completed |= complete;
                }
            }
            if (sentence == null) {
                if (complete) {
                    if (resampler != null) {
                        // The filter still holds the reply's last few milliseconds.
                        AudioFrame tail = AudioFrame.allocate(new AudioFormat(format.sampleRate(), 1), resampler.flushCapacity());
                        deliver(tail.samples(), 0, resampler.flush(tail));
                    }
                    if (!stopped) {
                        listener.onComplete();
                    }
                }
                return;
            }
            Synthesizer.Synthesis synthesis;
            try {
                synthesis = synth.synthesize(sentence);
            } catch (RuntimeException e) {
                synchronized (lock) {
                    stopped = true;
                    running = false;
                }
                listener.onError(SessionException.wrap(ErrorCode.TTS_ERROR, e));
                return;
            }
            short[] mono = synthesis.samples();
            // The reply's first sentence starts at its first sound: a leading pause is only latency.
            int skip = deliveredSamples == 0 ? LeadingSilence.samples(mono, mono.length, synth.sampleRate()) : 0;
            if (!synthesis.timings().isEmpty() && !stopped) {
                long offsetNanos = format.nanosFor(deliveredSamples) - skip * 1_000_000_000L / synth.sampleRate();
                listener.onWordTimings(shift(synthesis.timings(), offsetNanos));
            }
            if (resampler == null) {
                deliver(mono, skip, mono.length - skip);
            } else {
                short[] converted = new short[resampler.outputCapacity(mono.length - skip)];
                deliver(converted, 0, resampler.process(mono, skip, mono.length - skip, converted, 0));
            }
        }
    }

    /**
     * {@code timings} moved from the sentence's first sample to the reply's; a negative offset
     * (trimmed leading silence) never moves a word before the reply's start.
     */
    private static List<WordTiming> shift(List<WordTiming> timings, long offsetNanos) {
        List<WordTiming> out = new ArrayList<>(timings.size());
        for (WordTiming t : timings) {
            Duration start = t.start().plusNanos(offsetNanos);
            Duration end = t.end().plusNanos(offsetNanos);
            out.add(new WordTiming(t.word(), start.isNegative() ? Duration.ZERO : start,
                    end.isNegative() ? Duration.ZERO : end));
        }
        return out;
    }

    private void deliver(short[] mono, int offset, int length) {
        int channels = format.channels();
        short[] out = frame.samples();
        int i = 0;
        while (i < length && !stopped) {
            int n = Math.min(frameSamples / channels, length - i);
            for (int k = 0; k < n; k++) {
                short s = mono[offset + i + k];
                for (int c = 0; c < channels; c++) {
                    out[k * channels + c] = s;
                }
            }
            frame.setLength(n * channels);
            listener.onAudio(frame);
            deliveredSamples += n * channels;
            i += n;
        }
    }
}
