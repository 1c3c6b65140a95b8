package io.parley.session;

/**
 * How a background clip is mixed into the agent's outbound audio: its gain and whether it
 * loops until stopped. Immutable; build with {@link #builder()}.
 *
 * @see VoiceSession#playBackground(io.parley.audio.AudioClip, BackgroundOptions)
 */
public final class BackgroundOptions {

    /** Looping at a gain of 0.3: a sound under the conversation, not over it. */
    public static final BackgroundOptions DEFAULT = builder().build();

    private final double gain;
    private final boolean loop;

    private BackgroundOptions(Builder b) {
        this.gain = b.gain;
        this.loop = b.loop;
    }

    /** A builder starting from {@link #DEFAULT}'s values. */
    public static Builder builder() {
        return new Builder();
    }

    /** Linear gain applied to the clip before it is added to the outbound audio, 0 to 1. */
    public double gain() {
        return gain;
    }

    /** True if the clip starts over at its end until stopped; otherwise it plays once. */
    public boolean loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "BackgroundOptions[gain=" + gain + ", loop=" + loop + "]";
    }

    /** Builds {@link BackgroundOptions}. */
    public static final class Builder {
        private double gain = 0.3;
        private boolean loop = true;

        private Builder() {
        }

        /**
         * The clip's linear gain, from 0 (silent) to 1 (as recorded). The mix saturates rather
         * than wraps when the agent's voice and the clip together exceed full scale.
         */
        public Builder gain(double gain) {
            if (!(gain >= 0 && gain <= 1)) {
                throw new IllegalArgumentException("gain must be between 0 and 1, was " + gain);
            }
            this.gain = gain;
            return this;
        }

        /** Whether the clip loops until stopped (true) or plays once (false). */
        public Builder loop(boolean loop) {
            this.loop = loop;
            return this;
        }

        /** The options. */
        public BackgroundOptions build() {
            return new BackgroundOptions(this);
        }
    }
}
