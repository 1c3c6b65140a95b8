package io.parley.providers.local.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Resampler;
import io.parley.audio.vad.SpeechHysteresis;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/** One stream's recurrent state, context and debounce for {@link SileroVad}. */
final class SileroVadStream implements Vad {

    private static final long[] INPUT_SHAPE_16K = {1, 576};
    private static final long[] INPUT_SHAPE_8K = {1, 288};
    private static final long[] STATE_SHAPE = {2, 1, 128};
    private static final long[] RATE_SHAPE = {1};
    private static final int STATE_SIZE = 2 * 128;

    private final SileroVad owner;
    private final AudioFormat format;
    private final Resampler resampler;
    private final AudioFrame mono;
    private final AudioFrame resampled;
    private final int modelRate;
    private final int chunk;
    private final int context;
    private final long[] inputShape;
    private final float[] window;
    private final FloatBuffer inputBuf;
    private final FloatBuffer stateBuf;
    private final LongBuffer rateBuf;
    private final float[] state = new float[STATE_SIZE];
    private final SpeechHysteresis decision;
    private int fill;
    private VadResult last = VadResult.of(0f, false);

    SileroVadStream(SileroVad owner, AudioFormat format) {
        this.owner = owner;
        this.format = format;
        this.modelRate = format.sampleRate() == 8_000 ? 8_000 : 16_000;
        this.chunk = modelRate == 8_000 ? 256 : 512;
        this.context = modelRate == 8_000 ? 32 : 64;
        this.inputShape = modelRate == 8_000 ? INPUT_SHAPE_8K : INPUT_SHAPE_16K;
        AudioFormat monoFormat = new AudioFormat(format.sampleRate(), 1);
        this.mono = AudioFrame.allocate(monoFormat, 4096);
        this.resampler = Resampler.create(format.sampleRate(), modelRate, 1);
        this.resampled = AudioFrame.allocate(resampler.outputFormat(), resampler.outputCapacity(4096));
        this.window = new float[context + chunk];
        this.inputBuf = direct(context + chunk).asFloatBuffer();
        this.stateBuf = direct(STATE_SIZE).asFloatBuffer();
        this.rateBuf = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).asLongBuffer();
        rateBuf.put(0, modelRate);
        double chunkSeconds = (double) chunk / modelRate;
        this.decision = new SpeechHysteresis(owner.activationThreshold(), owner.deactivationThreshold(),
                owner.minSpeech(), owner.minSilence(), java.time.Duration.ofNanos(Math.round(chunkSeconds * 1e9)));
        this.fill = context;
    }

    private static ByteBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder());
    }

    @Override
    public VadResult process(AudioFrame frame) {
        if (!frame.format().equals(format)) {
            throw new IllegalArgumentException("frame format " + frame.format() + " does not match the VAD's " + format);
        }
        int channels = format.channels();
        short[] s = frame.samples();
        int groups = frame.samplesPerChannel();
        int done = 0;
        float sum = 0;
        int chunks = 0;
        // Mix down and resample in bounded pieces so the work buffers never grow.
        while (done < groups) {
            int n = Math.min(4096, groups - done);
            short[] m = mono.samples();
            for (int i = 0; i < n; i++) {
                int acc = 0;
                int base = (done + i) * channels;
                for (int c = 0; c < channels; c++) {
                    acc += s[base + c];
                }
                m[i] = (short) (acc / channels);
            }
            mono.setLength(n);
            int r = resampler.process(mono, resampled);
            short[] rs = resampled.samples();
            for (int i = 0; i < r; i++) {
                window[fill++] = rs[i] / 32768f;
                if (fill == window.length) {
                    sum += infer();
                    chunks++;
                    System.arraycopy(window, chunk, window, 0, context);
                    fill = context;
                }
            }
            done += n;
        }
        if (chunks > 0) {
            last = VadResult.of(sum / chunks, decision.speech());
        }
        return last;
    }

    private float infer() {
        inputBuf.clear();
        inputBuf.put(window).flip();
        stateBuf.clear();
        stateBuf.put(state).flip();
        rateBuf.rewind();
        float p;
        try (OnnxTensor input = OnnxTensor.createTensor(owner.env(), inputBuf, inputShape);
             OnnxTensor st = OnnxTensor.createTensor(owner.env(), stateBuf, STATE_SHAPE);
             OnnxTensor sr = OnnxTensor.createTensor(owner.env(), rateBuf, RATE_SHAPE);
             OrtSession.Result result = owner.session().run(Map.of("input", input, "state", st, "sr", sr))) {
            p = ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
            FloatBuffer next = ((OnnxTensor) result.get(1)).getFloatBuffer();
            next.get(state, 0, STATE_SIZE);
        } catch (OrtException e) {
            throw new SessionException(ErrorCode.VAD_ERROR, "Silero VAD inference failed: " + e.getMessage(), e);
        }
        if (Float.isNaN(p)) {
            throw new SessionException(ErrorCode.VAD_ERROR, "Silero VAD returned NaN");
        }
        decision.update(p);
        return p;
    }

    @Override
    public void reset() {
        Arrays.fill(state, 0f);
        Arrays.fill(window, 0f);
        resampler.reset();
        fill = context;
        decision.reset();
        last = VadResult.of(0f, false);
    }

    @Override
    public String toString() {
        return "SileroVadStream[" + format + " -> " + modelRate + " Hz, speech=" + decision.speech() + "]";
    }
}
