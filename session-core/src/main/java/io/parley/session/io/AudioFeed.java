package io.parley.session.io;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Resampler;
import io.parley.audio.Wav;
import io.parley.session.VoiceSession;
import io.parley.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams recorded audio into a {@link VoiceSession}, as a microphone would:
 *
 * <pre>{@code
 * AudioFeed.wav(Path.of("caller.wav")).thenSilence(Duration.ofSeconds(2)).into(session);
 * }</pre>
 *
 * <p>Audio goes in {@link #frameMillis(int) 20 ms} frames at real-time pace (the default), or as
 * fast as the session accepts it with {@link #asFastAsAccepted()}. Sample rates are converted to
 * the {@link #to(AudioFormat) session's input format} (16 kHz mono unless told otherwise); a
 * different channel count is refused. Frames are stamped with {@link Clock#system()}, so a feed is
 * for sessions on the system clock (the default); tests on a virtual clock script their audio with
 * the test kit instead.
 *
 * <p>Instances are immutable; every setter returns a new feed. One frame buffer is reused for the
 * whole feed, so feeding allocates nothing per frame.
 */
public final class AudioFeed {

    private final Source source;
    private final AudioFormat target;
    private final int frameMillis;
    private final boolean realTime;
    private final Duration trailingSilence;

    private AudioFeed(Source source, AudioFormat target, int frameMillis, boolean realTime, Duration trailingSilence) {
        this.source = source;
        this.target = target;
        this.frameMillis = frameMillis;
        this.realTime = realTime;
        this.trailingSilence = trailingSilence;
    }

    /**
     * A PCM16 WAV file, read when the feed runs.
     *
     * @throws IllegalArgumentException if {@code path} is null
     */
    public static AudioFeed wav(Path path) {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        return of(new WavSource(path));
    }

    /**
     * A clip already in memory.
     *
     * @throws IllegalArgumentException if {@code clip} is null
     */
    public static AudioFeed clip(AudioClip clip) {
        if (clip == null) {
            throw new IllegalArgumentException("clip must not be null");
        }
        return of(new ClipSource(clip));
    }

    /**
     * Raw PCM16LE in {@code format}, read as the feed runs (never whole into memory). The feed
     * closes the stream when it ends.
     *
     * @throws IllegalArgumentException if either argument is null
     */
    public static AudioFeed pcm(InputStream pcm16le, AudioFormat format) {
        if (pcm16le == null || format == null) {
            throw new IllegalArgumentException("pcm16le and format must not be null");
        }
        return of(new StreamSource(pcm16le, format));
    }

    private static AudioFeed of(Source source) {
        return new AudioFeed(source, AudioFormat.PCM_16K_MONO, 20, true, Duration.ZERO);
    }

    /** The session's input format (the one given to {@code VoiceSession.Builder.inputFormat}). */
    public AudioFeed to(AudioFormat sessionInputFormat) {
        if (sessionInputFormat == null) {
            throw new IllegalArgumentException("sessionInputFormat must not be null");
        }
        return new AudioFeed(source, sessionInputFormat, frameMillis, realTime, trailingSilence);
    }

    /** Frame length, 1 to 1000 ms; 20 ms by default. */
    public AudioFeed frameMillis(int millis) {
        if (millis < 1 || millis > 1000) {
            throw new IllegalArgumentException("frameMillis must be 1..1000, was " + millis);
        }
        return new AudioFeed(source, target, millis, realTime, trailingSilence);
    }

    /** Feed without waiting between frames: as fast as {@code processAudio} returns. */
    public AudioFeed asFastAsAccepted() {
        return new AudioFeed(source, target, frameMillis, false, trailingSilence);
    }

    /** Digital silence after the audio, so the session can see the user stop speaking. */
    public AudioFeed thenSilence(Duration silence) {
        if (silence == null || silence.isNegative()) {
            throw new IllegalArgumentException("silence must be a non-negative duration, was " + silence);
        }
        return new AudioFeed(source, target, frameMillis, realTime, silence);
    }

    /**
     * Feeds the whole source, then the trailing silence, on the calling thread.
     *
     * @throws IOException              if the source cannot be read
     * @throws IllegalArgumentException if the source is not PCM16, or its channel count differs
     *                                  from the session's (the message names the conversion)
     * @throws InterruptedException     if the thread is interrupted; feeding stops at a frame boundary
     * @throws io.parley.session.SessionException if the session stops accepting audio
     */
    public void into(VoiceSession session) throws IOException, InterruptedException {
        if (session == null) {
            throw new IllegalArgumentException("session must not be null");
        }
        int frameSamples = target.samplesFor(frameMillis);
        Clock clock = Clock.system();
        try (Reader reader = source.open(target, frameSamples)) {
            AudioFrame frame = AudioFrame.allocate(target, Math.max(frameSamples, reader.capacity()));
            long next = clock.nanoTime();
            long silenceLeft = target.samplesForNanos(trailingSilence.toNanos());
            while (true) {
                int n = reader.read(frame.samples());
                if (n < 0) {
                    if (silenceLeft <= 0) {
                        return;
                    }
                    n = (int) Math.min(frameSamples, silenceLeft);
                    java.util.Arrays.fill(frame.samples(), 0, n, (short) 0);
                    silenceLeft -= n;
                }
                if (n == 0) {
                    continue;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("audio feed interrupted");
                }
                session.processAudio(frame.setLength(n).setTimestampNanos(clock.nanoTime()));
                if (realTime) {
                    next += target.nanosFor(n);
                    long wait;
                    while ((wait = next - clock.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                        if (Thread.interrupted()) {
                            throw new InterruptedException("audio feed interrupted");
                        }
                    }
                }
            }
        }
    }

    /**
     * Feeds on a new daemon thread named after the session.
     *
     * @return completes when the feed ends, exceptionally with what {@link #into} would throw
     */
    public CompletableFuture<Void> startInto(VoiceSession session) {
        if (session == null) {
            throw new IllegalArgumentException("session must not be null");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                into(session);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "parley-feed-" + session.id());
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** Where the samples come from. */
    private interface Source {
        Reader open(AudioFormat target, int frameSamples) throws IOException;
    }

    /** Fills frames in the target format; -1 at the end. */
    private interface Reader extends AutoCloseable {
        int read(short[] into) throws IOException;

        /** The most samples one {@link #read} can write. */
        default int capacity() {
            return 0;
        }

        @Override
        default void close() throws IOException {
        }
    }

    private static AudioClip convert(AudioClip clip, AudioFormat target, String what) {
        if (clip.format().channels() != target.channels()) {
            throw new IllegalArgumentException(what + " has " + clip.format().channels() + " channel(s), the session expects "
                    + target.channels() + "; convert it first, e.g. sox in.wav -c " + target.channels() + " out.wav");
        }
        return clip.format().sampleRate() == target.sampleRate() ? clip : clip.resample(target.sampleRate());
    }

    private record ClipSource(AudioClip clip) implements Source {
        @Override
        public Reader open(AudioFormat target, int frameSamples) {
            AudioClip c = convert(clip, target, "the clip");
            short[] samples = c.samples();
            int[] pos = {0};
            return into -> {
                if (pos[0] >= c.length()) {
                    return -1;
                }
                int n = Math.min(frameSamples, c.length() - pos[0]);
                System.arraycopy(samples, pos[0], into, 0, n);
                pos[0] += n;
                return n;
            };
        }
    }

    private record WavSource(Path path) implements Source {
        @Override
        public Reader open(AudioFormat target, int frameSamples) throws IOException {
            if (!Files.isRegularFile(path)) {
                throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such WAV file");
            }
            AudioClip clip;
            try {
                clip = Wav.read(path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + "; convert it to 16-bit PCM WAV, e.g. sox " + path
                        + " -b 16 -e signed-integer -r " + target.sampleRate() + " -c " + target.channels() + " out.wav", e);
            }
            return new ClipSource(convert(clip, target, path.toString())).open(target, frameSamples);
        }
    }

    private record StreamSource(InputStream in, AudioFormat format) implements Source {
        @Override
        public Reader open(AudioFormat target, int frameSamples) {
            if (format.channels() != target.channels()) {
                throw new IllegalArgumentException("the PCM stream has " + format.channels() + " channel(s), the session expects "
                        + target.channels());
            }
            Resampler resampler = format.sampleRate() == target.sampleRate() ? null : Resampler.create(format, target);
            // Read as many source samples as make at most one target frame.
            int sourceSamples = Math.max(format.channels(),
                    (int) ((long) frameSamples * format.sampleRate() / target.sampleRate()) / format.channels() * format.channels());
            byte[] bytes = new byte[sourceSamples * 2];
            short[] decoded = resampler == null ? null : new short[sourceSamples];
            return new Reader() {
                @Override
                public int capacity() {
                    return resampler == null ? sourceSamples : resampler.outputCapacity(sourceSamples);
                }

                @Override
                public int read(short[] into) throws IOException {
                    int got = in.readNBytes(bytes, 0, bytes.length);
                    if (got <= 0) {
                        return -1;
                    }
                    int samples = got / 2 / format.channels() * format.channels();
                    short[] dest = resampler == null ? into : decoded;
                    for (int i = 0; i < samples; i++) {
                        dest[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
                    }
                    return resampler == null ? samples : resampler.process(decoded, 0, samples, into, 0);
                }

                @Override
                public void close() throws IOException {
                    in.close();
                }
            };
        }
    }

    @Override
    public String toString() {
        return "AudioFeed[" + source + " -> " + target + ", " + frameMillis + " ms frames, "
                + (realTime ? "real time" : "as fast as accepted") + ", then " + trailingSilence.toMillis() + " ms silence]";
    }
}
