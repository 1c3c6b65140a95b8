package io.parley.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Transport;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.spi.WordTiming;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The synthesizer side of {@link SpeechOutput}: opening a stream for the active speech through
 * the provider chain, feeding it text, taking its audio, completion and failures (retrying a
 * speech nothing of which was synthesized), and the {@link PlayoutWatch} that ends a speech
 * whose synthesizer or transport stalls. Loop-confined, except the stream listener's audio
 * callback, which only copies into the speech's buffer.
 */
final class Synthesis {

    private final SpeechOutput out;
    private final String sessionId;
    private final String voice;
    private final AudioFormat format;
    private final Clock clock;
    private final SerialExecutor loop;
    private final Transport transport;
    private final ProviderChain<TtsProvider> ttsChain;
    private final int maxRetries;
    private final SpeechOutput.Host host;
    private final Executor blocking;
    private final PlayoutWatch watch;

    Synthesis(SpeechOutput out, String sessionId, String voice, SessionConfig config, Clock clock, SerialExecutor loop,
              Transport transport, ProviderChain<TtsProvider> ttsChain, SpeechOutput.Host host, Executor blocking) {
        this.out = out;
        this.sessionId = sessionId;
        this.voice = voice;
        this.format = transport.outputFormat();
        this.clock = clock;
        this.loop = loop;
        this.transport = transport;
        this.ttsChain = ttsChain;
        this.maxRetries = config.maxRetries();
        this.host = host;
        this.blocking = blocking;
        Runnable checkTask = this::checkProgress;
        // A signal, not a posted task: the watch's repeating timer then allocates nothing per check.
        this.watch = new PlayoutWatch(clock, config.ttsCompletionTimeout().toNanos(), loop.signal(checkTask));
    }

    /** The active speech ended or the session stops: nothing to watch. */
    void stopWatch() {
        watch.stop();
    }

    /** Opens a synthesizer for the active speech {@code s} and sends it the text so far. */
    void open(Speech s) {
        s.opening = true;
        int attempt = ++s.attempt;
        TtsRequest request = new TtsRequest(sessionId, format, voice);
        ttsChain.call("open", p -> p.open(request, ttsListener(s, attempt)), loop, (res, err) -> {
            s.opening = false;
            if (s.done || attempt != s.attempt) {
                if (res != null) {
                    close(res.value());
                }
                return;
            }
            if (err != null) {
                host.error(err);
                out.fail(s, err);
                return;
            }
            s.tts = res.value();
            s.providerIndex = res.index();
            s.provider = res.provider();
            s.pushed = 0;
            pushText(s);
            flushIfOpen(s);
        });
    }

    /** Sends text not yet sent to an open synthesizer. */
    void pushText(Speech s) {
        if (s.tts == null || s.done) {
            return;
        }
        int len = s.text.length();
        if (len > s.pushed) {
            if (s.firstTextNanos < 0) {
                s.firstTextNanos = clock.nanoTime();
            }
            String chunk = s.text.substring(s.pushed, len);
            s.pushed = len;
            try {
                s.tts.pushText(chunk);
            } catch (RuntimeException e) {
                onTtsFailure(s, s.attempt, SessionException.wrap(ErrorCode.TTS_ERROR, e));
            }
        }
    }

    /** Once the text is complete and the synthesizer open: sends the rest and flushes. */
    void flushIfOpen(Speech s) {
        if (s.tts == null || s.done || !s.textDone) {
            return;
        }
        pushText(s);
        if (s.tts == null) {
            return;
        }
        try {
            s.tts.flush();
        } catch (RuntimeException e) {
            onTtsFailure(s, s.attempt, SessionException.wrap(ErrorCode.TTS_ERROR, e));
            return;
        }
        watch.watch(s, progress(s));
    }

    /** Grows while the speech's audio is synthesized or played; the watch's measure of life. */
    private long progress(Speech s) {
        return s.synthesizedSamples() + transport.playedSamples();
    }

    /**
     * The watch fired: a speech whose synthesizer went quiet without completing ends with
     * what it synthesized; one whose audio the transport stopped playing ends as played so far.
     */
    private void checkProgress() {
        Speech s = out.active();
        if (s == null || s.done || !host.running()) {
            watch.stop();
            return;
        }
        if (!watch.expired(s, progress(s), out.paused())) {
            return;
        }
        String limit = java.time.Duration.ofNanos(watch.timeoutNanos()).toString();
        if (!s.ttsComplete) {
            onTtsFailure(s, s.attempt, new SessionException(ErrorCode.TIMEOUT, "speech " + s.id
                    + ": the synthesizer neither sent audio nor completed within " + limit, null, false));
            return;
        }
        host.error(new SessionException(ErrorCode.TIMEOUT, "speech " + s.id + ": the transport played none of its "
                + "remaining audio within " + limit, null, false));
        out.finish(s, false);
        host.settle("playout_timeout");
    }

    private TtsListener ttsListener(Speech s, int attempt) {
        return new TtsListener() {
            @Override
            public void onAudio(AudioFrame frame) {
                if (s.done || attempt != s.attempt) {
                    return;
                }
                if (!frame.format().equals(format)) {
                    loop.execute(() -> onTtsFailure(s, attempt, new SessionException(ErrorCode.TTS_ERROR,
                            "synthesizer returned " + frame.format() + " audio, expected " + format)));
                    return;
                }
                if (s.offer(frame)) {
                    loop.execute(() -> onFirstAudio(s, attempt));
                }
            }

            @Override
            public void onWordTimings(List<WordTiming> timings) {
                List<WordTiming> copy = List.copyOf(timings);
                loop.execute(() -> {
                    if (!s.done && attempt == s.attempt) {
                        s.timings.addAll(copy);
                    }
                });
            }

            @Override
            public void onComplete() {
                loop.execute(() -> {
                    if (!s.done && attempt == s.attempt) {
                        s.ttsComplete = true;
                        out.pump();
                    }
                });
            }

            @Override
            public void onError(SessionException error) {
                loop.execute(() -> onTtsFailure(s, attempt, error));
            }
        };
    }

    private void onTtsFailure(Speech s, int attempt, SessionException error) {
        if (s.done || attempt != s.attempt) {
            return;
        }
        host.error(error);
        if (s.providerIndex >= 0) {
            ttsChain.failed(s.providerIndex, error);
        }
        TtsStream failed = s.tts;
        s.tts = null;
        if (failed != null) {
            close(failed);
        }
        boolean nothingHeard = s.synthesizedSamples() == 0;
        if (nothingHeard && error.retryable() && ++s.ttsFailures <= maxRetries) {
            open(s);
            return;
        }
        if (nothingHeard) {
            out.fail(s, error);
            return;
        }
        // Part of the reply was synthesized: play it and end there.
        s.ttsComplete = true;
        watch.watch(s, progress(s));
        out.pump();
    }

    private void onFirstAudio(Speech s, int attempt) {
        if (s.done || attempt != s.attempt) {
            return;
        }
        if (s.firstAudioNanos < 0) {
            s.firstAudioNanos = clock.nanoTime();
        }
        out.pump();
    }

    /** Closes a stream off the loop. */
    void close(TtsStream stream) {
        blocking.execute(() -> {
            try {
                stream.close();
            } catch (RuntimeException e) {
                loop.execute(() -> host.error(SessionException.wrap(ErrorCode.TTS_ERROR, e)));
            }
        });
    }
}
