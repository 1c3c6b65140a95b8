package io.parley.audio.prosody;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ProsodyTrackerTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;

    /**
     * Feeds a voiced, harmonic tone whose pitch glides from {@code fromHz} to {@code toHz} over
     * {@code millis} (after a second at {@code baseHz}, so the speaker's average is known), then
     * 200 ms of silence, in 20 ms frames.
     */
    private static ProsodyTracker speak(ProsodyTracker t, double baseHz, double fromHz, double toHz, int millis) {
        AudioFrame frame = AudioFrame.allocate(F, 320);
        double phase = 0;
        int lead = 1000;
        int total = lead + millis + 200;
        for (int ms = 0; ms < total; ms += 20) {
            boolean voice = ms < lead + millis;
            for (int i = 0; i < 320; i++) {
                double at = ms + i / 16.0;
                double hz = at < lead ? baseHz : fromHz + (toHz - fromHz) * Math.min(1, (at - lead) / millis);
                phase += 2 * Math.PI * hz / 16_000;
                double v = voice ? 0.5 * Math.sin(phase) + 0.3 * Math.sin(2 * phase) + 0.2 * Math.sin(3 * phase) : 0;
                frame.samples()[i] = (short) Math.round(6000 * v);
            }
            frame.setLength(320);
            frame.setTimestampNanos(ms * 1_000_000L);
            t.process(frame, voice);
        }
        return t;
    }

    @Test
    void findsTheSpeakersPitch() {
        ProsodyTracker t = speak(new ProsodyTracker(F), 150, 150, 150, 400);
        assertThat(t.averagePitchHz()).isBetween(145.0, 155.0);
        Prosody p = t.snapshot();
        assertThat(p.pitchSlope()).isBetween(-3.0, 3.0);
        assertThat(p.finalPitch()).isBetween(-1.0, 1.0);
    }

    @Test
    void aFallToLowPitchSoundsFinalAndARiseSoundsUnfinished() {
        Prosody fall = speak(new ProsodyTracker(F), 160, 160, 100, 400).snapshot();
        Prosody rise = speak(new ProsodyTracker(F), 160, 160, 210, 400).snapshot();
        assertThat(fall.pitchSlope()).isLessThan(-12);
        assertThat(fall.finalPitch()).isLessThan(-Prosody.FINAL_LOW - 0.3);
        assertThat(rise.pitchSlope()).isGreaterThan(8);
        assertThat(rise.finalPitch()).isGreaterThan(3);
        assertThat(fall.finality()).isGreaterThan(0.5);
        assertThat(rise.finality()).isLessThan(-0.5);
    }

    @Test
    void nothingMeasuredWithoutVoice() {
        ProsodyTracker t = new ProsodyTracker(F);
        assertThat(t.snapshot()).isEqualTo(Prosody.UNKNOWN);
        AudioFrame silence = AudioFrame.allocate(F, 320).setLength(320);
        t.process(silence, false);
        assertThat(t.snapshot().isUnknown()).isTrue();
        assertThat(Prosody.UNKNOWN.finality()).isZero();
    }

    @Test
    void worksAtTelephoneAndBrowserRates() {
        for (AudioFormat format : new AudioFormat[] {AudioFormat.PCM_8K_MONO, AudioFormat.PCM_48K_MONO}) {
            ProsodyTracker t = new ProsodyTracker(format);
            int n = format.samplesFor(20);
            AudioFrame frame = AudioFrame.allocate(format, n);
            double phase = 0;
            for (int k = 0; k < 50; k++) {
                for (int i = 0; i < n; i++) {
                    phase += 2 * Math.PI * 200 / format.sampleRate();
                    frame.samples()[i] = (short) Math.round(5000 * (Math.sin(phase) + 0.5 * Math.sin(2 * phase)));
                }
                frame.setLength(n).setTimestampNanos(k * 20_000_000L);
                t.process(frame, true);
            }
            assertThat(t.averagePitchHz()).as("%s", format).isBetween(190.0, 210.0);
        }
    }

    /**
     * Hosts chunk audio as they like (WebRTC 10 ms, telephony 20 ms, a socket any size): the
     * track, and so the snapshot at the end of speech, must not depend on it.
     */
    @Test
    void theSnapshotDoesNotDependOnHowTheAudioIsChunked() {
        short[] voiced = glide(160, 160, 110, 400);
        short[] silence = new short[F.samplesFor(200)];
        ProsodyTracker byFrames = new ProsodyTracker(F);
        long at = feed(byFrames, voiced, true, 0, new java.util.Random(1), 320, 320);
        feed(byFrames, silence, false, at, new java.util.Random(1), 320, 320);
        Prosody reference = byFrames.snapshot();
        assertThat(reference.pitchSlope()).isLessThan(-12);

        int[][] chunkings = {{160, 160}, {1, 40}, {1, 900}, {480, 480}};
        for (int[] c : chunkings) {
            ProsodyTracker t = new ProsodyTracker(F);
            java.util.Random random = new java.util.Random(7);
            long end = feed(t, voiced, true, 0, random, c[0], c[1]);
            feed(t, silence, false, end, random, c[0], c[1]);
            assertThat(t.snapshot()).as("chunks of %d..%d samples", c[0], c[1]).isEqualTo(reference);
            assertThat(t.averagePitchHz()).as("chunks of %d..%d samples", c[0], c[1]).isEqualTo(byFrames.averagePitchHz());
        }
    }

    /** A second at {@code baseHz}, then a glide from {@code fromHz} to {@code toHz} over {@code millis}. */
    private static short[] glide(double baseHz, double fromHz, double toHz, int millis) {
        int lead = 1000;
        short[] out = new short[F.samplesFor(lead + millis)];
        double phase = 0;
        for (int i = 0; i < out.length; i++) {
            double at = i / 16.0;
            double hz = at < lead ? baseHz : fromHz + (toHz - fromHz) * Math.min(1, (at - lead) / millis);
            phase += 2 * Math.PI * hz / 16_000;
            out[i] = (short) Math.round(6000 * (0.5 * Math.sin(phase) + 0.3 * Math.sin(2 * phase) + 0.2 * Math.sin(3 * phase)));
        }
        return out;
    }

    /** Feeds {@code pcm} in chunks of {@code min..max} samples from sample {@code start}; returns the sample after it. */
    private static long feed(ProsodyTracker t, short[] pcm, boolean voice, long start, java.util.Random random, int min, int max) {
        for (int off = 0; off < pcm.length; ) {
            int n = Math.min(pcm.length - off, min + random.nextInt(max - min + 1));
            AudioFrame chunk = AudioFrame.allocate(F, n).setLength(n).setTimestampNanos(F.nanosFor(start + off));
            System.arraycopy(pcm, off, chunk.samples(), 0, n);
            t.process(chunk, voice);
            off += n;
        }
        return start + pcm.length;
    }

    @Test
    void allocatesNothingPerFrame() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ProsodyTracker t = new ProsodyTracker(F);
        AudioFrame frame = AudioFrame.allocate(F, 320).setLength(320);
        for (int i = 0; i < 320; i++) {
            frame.samples()[i] = (short) Math.round(5000 * Math.sin(2 * Math.PI * 140 * i / 16_000.0));
        }
        for (int k = 0; k < 2000; k++) {
            t.process(frame, true);
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int k = 0; k < 1000; k++) {
            t.process(frame, k % 3 != 0);
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(allocated).isLessThan(1000);
    }
}
