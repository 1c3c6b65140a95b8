package io.parley.session;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.ChannelMixer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The clips mixed under the agent's voice (a "thinking" sound, ambience): each converted once
 * to the session's output format, then added sample by sample, with saturation, into every
 * outbound frame while it plays. Loop-confined except {@link #prepare} and the handles' stop,
 * which post to the loop.
 */
final class BackgroundMix {

    /** One clip being mixed; its handle. */
    final class Track implements BackgroundHandle {
        private final short[] samples;
        private final int gainQ15;
        private final boolean looping;
        private int pos;
        private volatile boolean playing = true;

        private Track(short[] samples, BackgroundOptions options) {
            this.samples = samples;
            this.gainQ15 = (int) Math.round(options.gain() * 32768);
            this.looping = options.loop();
        }

        @Override
        public void stop() {
            if (playing) {
                playing = false;
                loop.execute(() -> tracks.remove(this));
            }
        }

        @Override
        public boolean playing() {
            return playing;
        }

        /** Adds the next {@code n} samples of the clip into {@code out}. */
        private void mixInto(short[] out, int n) {
            int i = 0;
            while (i < n && pos < samples.length) {
                int run = Math.min(n - i, samples.length - pos);
                for (int k = 0; k < run; k++) {
                    int v = out[i + k] + ((samples[pos + k] * gainQ15) >> 15);
                    out[i + k] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(v, Short.MIN_VALUE));
                }
                i += run;
                pos += run;
                if (pos == samples.length && looping) {
                    pos = 0;
                }
            }
        }
    }

    private final AudioFormat format;
    private final Executor loop;
    private final List<Track> tracks = new ArrayList<>(2);
    /** The last clip converted, so an agent that plays the same sound on every tool call converts it once. */
    private volatile Converted last;

    private record Converted(AudioClip source, short[] samples) {
    }

    BackgroundMix(AudioFormat format, Executor loop) {
        this.format = format;
        this.loop = loop;
    }

    /**
     * A track for {@code clip} at the output format, not yet mixed; safe from any thread.
     * Converting takes time proportional to the clip, so it happens on the caller's thread.
     */
    Track prepare(AudioClip clip, BackgroundOptions options) {
        if (clip == null) {
            throw new IllegalArgumentException("clip must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        if (clip.length() == 0) {
            throw new IllegalArgumentException("clip is empty");
        }
        Converted c = last;
        if (c == null || c.source() != clip) {
            c = new Converted(clip, convert(clip));
            last = c;
        }
        return new Track(c.samples(), options);
    }

    private short[] convert(AudioClip clip) {
        AudioClip atRate = clip.format().sampleRate() == format.sampleRate() ? clip : clip.resample(format.sampleRate());
        int inChannels = atRate.format().channels();
        if (inChannels == format.channels()) {
            return atRate.samples();
        }
        int frames = atRate.samplesPerChannel();
        short[] out = new short[frames * format.channels()];
        ChannelMixer.mix(atRate.samples(), inChannels, out, format.channels(), frames);
        return out;
    }

    /** Starts mixing {@code t}; on the loop. */
    void add(Track t) {
        if (t.playing) {
            tracks.add(t);
        }
    }

    /** True while any clip is being mixed. */
    boolean active() {
        return !tracks.isEmpty();
    }

    /** Adds every playing clip into the first {@code n} samples of {@code out}; allocates nothing. */
    void mixInto(short[] out, int n) {
        for (int i = tracks.size() - 1; i >= 0; i--) {
            Track t = tracks.get(i);
            t.mixInto(out, n);
            if (t.pos == t.samples.length) {
                t.playing = false;
                tracks.remove(i);
            }
        }
    }

    /** Stops every clip: the session ended. */
    void stopAll() {
        for (Track t : tracks) {
            t.playing = false;
        }
        tracks.clear();
    }
}
