package io.parley.providers.local.stt;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import io.parley.spi.SttStream;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Speech for recognition tests: FreeTTS output and Debian's pocketsphinx-testdata recordings. */
final class SpeechFixtures {

    static final Path TESTDATA = Path.of("/usr/share/pocketsphinx/test/data");

    private SpeechFixtures() {
    }

    /** What {@code tts} says for {@code text}, as 16 kHz mono samples. */
    static short[] speak(TtsProvider tts, String text) throws Exception {
        return speak(tts, text, AudioFormat.PCM_16K_MONO);
    }

    /** What {@code tts} says for {@code text}, in {@code format}. */
    static short[] speak(TtsProvider tts, String text, AudioFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        TtsStream s = tts.open(new TtsRequest("test", format, ""), new TtsListener() {
            @Override
            public void onAudio(AudioFrame frame) {
                out.writeBytes(frame.toPcm16le());
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }

            @Override
            public void onError(SessionException error) {
                done.completeExceptionally(error);
            }
        });
        s.pushText(text);
        s.flush();
        done.get(30, TimeUnit.SECONDS);
        s.close();
        return toShorts(out.toByteArray());
    }

    /** A 16 kHz mono 16-bit WAV file's samples. */
    static short[] readWav(Path file) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            javax.sound.sampled.AudioFormat f = in.getFormat();
            if (f.getSampleRate() != 16_000f || f.getChannels() != 1 || f.getSampleSizeInBits() != 16 || f.isBigEndian()) {
                throw new IOException(file + " is not 16 kHz mono PCM16LE: " + f);
            }
            return toShorts(in.readAllBytes());
        }
    }

    static short[] toShorts(byte[] pcm16le) {
        short[] s = new short[pcm16le.length / 2];
        ByteBuffer.wrap(pcm16le).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    /** Writes {@code samples} in 20 ms frames through one reused frame, like a session does. */
    static void feed(SttStream stream, short[] samples) {
        feed(stream, samples, AudioFormat.PCM_16K_MONO);
    }

    /** Writes {@code samples} in {@code format} in 20 ms frames. */
    static void feed(SttStream stream, short[] samples, AudioFormat format) {
        int size = format.samplesFor(20);
        AudioFrame frame = AudioFrame.allocate(format, size);
        for (int i = 0; i < samples.length; i += size) {
            int n = Math.min(size, samples.length - i);
            System.arraycopy(samples, i, frame.samples(), 0, n);
            frame.setLength(n);
            stream.write(frame);
        }
    }

    /** {@code millis} of digital silence. */
    static short[] silence(int millis) {
        return new short[16 * millis];
    }
}
