package io.parley.transport.webrtc;

import io.parley.audio.AudioFormat;
import io.parley.audio.Resampler;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-session audio settings of a {@link WebRtcTransport}. Build one with {@link #builder()}.
 *
 * @param inputFormat     format inbound audio is delivered in; WebRTC's 48 kHz is resampled to it
 *                        [16 kHz mono]
 * @param outputFormat    format {@link WebRtcTransport#send} expects; pushed to libwebrtc as is,
 *                        10 ms at a time [16 kHz mono]
 * @param maxQueuedAudio  most outbound audio that may wait for playout [60 s]
 * @param inboundBuffer   inbound audio held while the listener is busy before frames are dropped
 *                        (and counted) [1 s]
 * @param clock           source of inbound frame timestamps; use the session's clock [system]
 */
public record TransportSettings(
        AudioFormat inputFormat,
        AudioFormat outputFormat,
        Duration maxQueuedAudio,
        Duration inboundBuffer,
        Clock clock) {

    /** Rates libwebrtc accepts as whole 10 ms pushes and {@link Resampler} converts. */
    private static final int[] OUTPUT_RATES = {8_000, 16_000, 24_000, 48_000};

    public TransportSettings {
        Objects.requireNonNull(inputFormat, "inputFormat");
        Objects.requireNonNull(outputFormat, "outputFormat");
        Objects.requireNonNull(maxQueuedAudio, "maxQueuedAudio");
        Objects.requireNonNull(inboundBuffer, "inboundBuffer");
        Objects.requireNonNull(clock, "clock");
        if (!Resampler.supports(inputFormat.sampleRate()) || inputFormat.channels() > 2) {
            throw new IllegalArgumentException("inputFormat must be mono or stereo at 8000, 16000, 22050, 24000, 44100 or 48000 Hz, was " + inputFormat);
        }
        boolean rateOk = false;
        for (int r : OUTPUT_RATES) {
            rateOk |= r == outputFormat.sampleRate();
        }
        if (!rateOk || outputFormat.channels() > 2) {
            throw new IllegalArgumentException("outputFormat must be mono or stereo at 8000, 16000, 24000 or 48000 Hz, was " + outputFormat);
        }
        if (maxQueuedAudio.compareTo(Duration.ofMillis(100)) < 0 || maxQueuedAudio.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("maxQueuedAudio must be within 100 ms..10 min, was " + maxQueuedAudio);
        }
        if (inboundBuffer.compareTo(Duration.ofMillis(100)) < 0 || inboundBuffer.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("inboundBuffer must be within 100 ms..30 s, was " + inboundBuffer);
        }
    }

    /** 16 kHz mono both ways, 60 s outbound queue, 1 s inbound buffer, system clock. */
    public static TransportSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link TransportSettings}. */
    public static final class Builder {
        private AudioFormat inputFormat = AudioFormat.PCM_16K_MONO;
        private AudioFormat outputFormat = AudioFormat.PCM_16K_MONO;
        private Duration maxQueuedAudio = Duration.ofSeconds(60);
        private Duration inboundBuffer = Duration.ofSeconds(1);
        private Clock clock = Clock.system();

        private Builder() {
        }

        public Builder inputFormat(AudioFormat format) {
            Checks.notNull(format, "format");
            this.inputFormat = format;
            return this;
        }

        public Builder outputFormat(AudioFormat format) {
            Checks.notNull(format, "format");
            this.outputFormat = format;
            return this;
        }

        /** Sets both formats. */
        public Builder format(AudioFormat format) {
            Checks.notNull(format, "format");
            this.inputFormat = format;
            this.outputFormat = format;
            return this;
        }

        public Builder maxQueuedAudio(Duration max) {
            Checks.notNull(max, "max");
            this.maxQueuedAudio = max;
            return this;
        }

        public Builder inboundBuffer(Duration buffer) {
            Checks.notNull(buffer, "buffer");
            this.inboundBuffer = buffer;
            return this;
        }

        public Builder clock(Clock clock) {
            Checks.notNull(clock, "clock");
            this.clock = clock;
            return this;
        }

        public TransportSettings build() {
            return new TransportSettings(inputFormat, outputFormat, maxQueuedAudio, inboundBuffer, clock);
        }
    }
}
