package io.parley.providers.local.tts;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.audio.AudioPlayer;
import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFormat;

/**
 * One FreeTTS voice rendering into memory. FreeTTS voices are not thread-safe, so sentences are
 * synthesised one at a time under a lock; at a few milliseconds per sentence that costs little.
 */
final class FreeTtsSynthesizer implements Synthesizer {

    private final Voice voice;
    private final MemoryPlayer player = new MemoryPlayer();
    private final int sampleRate;

    FreeTtsSynthesizer(Voice voice) {
        this.voice = voice;
        voice.setAudioPlayer(player);
        voice.allocate();
        // kevin16 declares its format only when it first speaks; warm it up so the rate is known.
        synchronized (this) {
            voice.speak("ready");
            sampleRate = Math.round(player.format.getSampleRate());
        }
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public synchronized short[] synthesize(String sentence) {
        player.bytes.reset();
        if (!voice.speak(sentence)) {
            throw new IllegalStateException("FreeTTS could not speak: " + sentence);
        }
        return player.samples();
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
