package io.parley.providers.local.tts;

import com.sun.speech.freetts.Item;
import com.sun.speech.freetts.Relation;
import com.sun.speech.freetts.Utterance;
import com.sun.speech.freetts.UtteranceProcessor;
import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.audio.AudioPlayer;
import io.parley.spi.WordTiming;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;

/**
 * One FreeTTS voice rendering into memory. FreeTTS voices are not thread-safe, so sentences are
 * synthesised one at a time under a lock; at a few milliseconds per sentence that costs little.
 */
final class FreeTtsSynthesizer implements Synthesizer {

    private final Voice voice;
    private final MemoryPlayer player = new MemoryPlayer();
    private final List<TokenEnd> tokens = new ArrayList<>();
    private final List<Double> utteranceLengths = new ArrayList<>();
    private final int sampleRate;

    FreeTtsSynthesizer(Voice voice) {
        this.voice = voice;
        voice.setAudioPlayer(player);
        voice.allocate();
        // Runs after FreeTTS has timed every segment, just before the audio is rendered.
        voice.getUtteranceProcessors().add((UtteranceProcessor) this::collectTimings);
        // kevin16 declares its format only when it first speaks; warm it up so the rate is known.
        synchronized (this) {
            voice.speak("ready");
            tokens.clear();
            utteranceLengths.clear();
            sampleRate = Math.round(player.format.getSampleRate());
        }
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public synchronized Synthesis synthesize(String sentence) {
        player.bytes.reset();
        tokens.clear();
        utteranceLengths.clear();
        if (!voice.speak(sentence)) {
            throw new IllegalStateException("FreeTTS could not speak: " + sentence);
        }
        short[] samples = player.samples();
        return new Synthesis(samples, timings(samples.length / (double) sampleRate));
    }

    /**
     * Word timings from FreeTTS's segment durations. A sentence FreeTTS split into several
     * utterances is laid end to end, and the whole is scaled to the audio's real length, which
     * unit concatenation makes differ slightly from the planned durations.
     */
    private List<WordTiming> timings(double audioSeconds) {
        double planned = 0;
        for (double len : utteranceLengths) {
            planned += len;
        }
        if (tokens.isEmpty() || planned <= 0) {
            return List.of();
        }
        double scale = audioSeconds / planned;
        List<WordTiming> out = new ArrayList<>(tokens.size());
        double offset = 0;
        int utterance = 0;
        double previousEnd = 0;
        for (TokenEnd t : tokens) {
            while (utterance < t.utterance) {
                offset += utteranceLengths.get(utterance++);
            }
            double end = Math.max(previousEnd, (offset + t.endSeconds) * scale);
            out.add(new WordTiming(t.word, seconds(previousEnd), seconds(end)));
            previousEnd = end;
        }
        return out;
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    /** An utterance processor: the end time of each spoken token of the utterance. */
    private void collectTimings(Utterance utterance) {
        int index = utteranceLengths.size();
        Relation segments = utterance.getRelation(Relation.SEGMENT);
        Item last = segments == null ? null : segments.getTail();
        utteranceLengths.add(last == null ? 0.0 : last.getFeatures().getFloat("end"));
        Relation tokenRelation = utterance.getRelation(Relation.TOKEN);
        for (Item token = tokenRelation == null ? null : tokenRelation.getHead(); token != null; token = token.getNext()) {
            if (token.getLastDaughter() == null) {
                continue;
            }
            Object end = token.findFeature(LAST_SEGMENT_END);
            if (end instanceof Float f) {
                tokens.add(new TokenEnd(token.getFeatures().getString("name"), f, index));
            }
        }
    }

    /** Where a spoken token ends: its last word's last syllable's last segment. */
    private static final String LAST_SEGMENT_END = "daughtern.R:SylStructure.daughtern.daughtern.R:Segment.end";

    private record TokenEnd(String word, double endSeconds, int utterance) {
    }

    /**
     * Collects what FreeTTS "plays". FreeTTS calls {@code reset()} once per utterance inside a
     * single {@code speak}, so the buffer is cleared by {@link #synthesize} and never by reset.
     */
    private static final class MemoryPlayer implements AudioPlayer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        AudioFormat format = new AudioFormat(16_000f, 16, 1, true, true);

        short[] samples() {
            byte[] b = bytes.toByteArray();
            int bits = format.getSampleSizeInBits();
            boolean big = format.isBigEndian();
            if (bits != 16) {
                throw new IllegalStateException("FreeTTS produced " + bits + "-bit audio; only 16-bit is supported");
            }
            short[] out = new short[b.length / 2];
            for (int i = 0; i < out.length; i++) {
                int hi = big ? b[2 * i] : b[2 * i + 1];
                int lo = (big ? b[2 * i + 1] : b[2 * i]) & 0xFF;
                out[i] = (short) ((hi << 8) | lo);
            }
            return out;
        }

        @Override public void setAudioFormat(AudioFormat f) { format = f; }
        @Override public AudioFormat getAudioFormat() { return format; }
        @Override public boolean write(byte[] audio) { return write(audio, 0, audio.length); }
        @Override public boolean write(byte[] audio, int off, int len) { bytes.write(audio, off, len); return true; }
        @Override public void pause() { }
        @Override public void resume() { }
        @Override public void reset() { }
        @Override public boolean drain() { return true; }
        @Override public void begin(int size) { }
        @Override public boolean end() { return true; }
        @Override public void cancel() { }
        @Override public void close() { }
        @Override public float getVolume() { return 1f; }
        @Override public void setVolume(float volume) { }
        @Override public long getTime() { return 0; }
        @Override public void resetTime() { }
        @Override public void startFirstSampleTimer() { }
        @Override public void showMetrics() { }
    }
}
