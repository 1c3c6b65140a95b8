package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.prosody.Prosody;
import io.parley.audio.prosody.ProsodyTracker;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A digest of what {@link ProsodyTracker} reports after every 20 ms frame (the snapshot's four
 * measures and the speaker's average pitch, as exact bits) over real recordings, fed as the
 * session's inbound path feeds it: 16 kHz mono, marked voiced where {@link DspVad}'s
 * probability reaches 0.5. The snapshot's slope and final pitch read the pitch of the last
 * frames and the average reads every pitch found, so a pitch search that differs in one bit
 * on one frame changes the digest: a change meant to make the tracker cheaper without changing
 * what it reports is checked by comparing the digests before and after it. {@link ProsodyProbe}
 * digests only the snapshots at the VAD's offsets of its spliced turns (34 of them).
 *
 * <p>The audio: every pocketsphinx-testdata recording, clean and in pink noise at 10 dB SNR,
 * and every asterisk-core-sounds-en-wav prompt resampled to 16 kHz, each through a fresh
 * tracker; then each set as one stream (recordings back to back, a second of faint noise
 * between). Each line prints one variant's frames, pitched snapshots and digest; the last line
 * the digest of all.
 *
 * <p>Run: {@code mvn -q -B -o -pl benchmarks exec:exec -Dbench.main=io.parley.bench.audio.ProsodyDigest}
 */
public final class ProsodyDigest {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = FORMAT.samplesFor(20);

    private long total = 1;
    private long frames;

    private ProsodyDigest() {
    }

    public static void main(String[] args) throws IOException {
        long began = System.nanoTime();
        ProsodyDigest d = new ProsodyDigest();
        List<AudioClip> pocketsphinx = new ArrayList<>();
        for (SpeechCorpus.Named n : new SpeechCorpus().realSpeech()) {
            pocketsphinx.add(n.clip());
        }
        List<AudioClip> noisy = new ArrayList<>();
        long seed = 1;
        for (AudioClip c : pocketsphinx) {
            noisy.add(VadDigest.mix(c, "pink", 10, seed++));
        }
        List<AudioClip> asterisk = new ArrayList<>();
        for (AudioClip c : VadDigest.asteriskPrompts()) {
            asterisk.add(c.resample(FORMAT.sampleRate()));
        }
        d.run("pocketsphinx clean, each", pocketsphinx, false);
        d.run("pocketsphinx pink 10dB, each", noisy, false);
        d.run("asterisk, each", asterisk, false);
        d.run("pocketsphinx clean, one stream", pocketsphinx, true);
        d.run("asterisk, one stream", asterisk, true);
        System.out.printf(Locale.ROOT, "digest of all %d frames: %016x (%.1f s)%n", d.frames, d.total,
                (System.nanoTime() - began) / 1e9);
    }

    /** The clips through fresh trackers (or one, as one stream with faint noise between). */
    private void run(String name, List<AudioClip> clips, boolean oneStream) {
        AudioClip gap = new AudioClip(FORMAT, VadDigest.scaled(Noises.pink(FORMAT.sampleRate(), 99), 30));
        AudioFrame f = AudioFrame.allocate(FORMAT, FRAME);
        long digest = 1;
        long n = 0;
        long pitched = 0;
        Vad vad = null;
        ProsodyTracker tracker = null;
        long offset = 0;
        for (AudioClip c : clips) {
            if (!oneStream || vad == null) {
                vad = DspVad.defaults().create(FORMAT);
                tracker = new ProsodyTracker(FORMAT);
                offset = 0;
            }
            for (AudioClip part : oneStream ? new AudioClip[] {c, gap} : new AudioClip[] {c}) {
                for (int i = 0, count = part.frameCount(20); i < count; i++) {
                    part.frame(i, 20, f);
                    f.setTimestampNanos(offset);
                    offset += FORMAT.nanosFor(f.length());
                    VadResult r = vad.process(f);
                    tracker.process(f, r.probability() >= 0.5f);
                    Prosody p = tracker.snapshot();
                    for (double v : new double[] {p.pitchSlope(), p.finalPitch(), p.finalLengthening(), p.energyDecay(),
                        tracker.averagePitchHz()}) {
                        digest = 31 * digest + Double.doubleToRawLongBits(v);
                    }
                    n++;
                    pitched += Double.isNaN(p.pitchSlope()) ? 0 : 1;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-40s %8d frames %7d with a pitch slope  %016x%n", name, n, pitched, digest);
        total = 31 * total + digest;
        frames += n;
    }
}
