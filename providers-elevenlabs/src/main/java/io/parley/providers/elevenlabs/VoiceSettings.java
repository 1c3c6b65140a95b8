package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * ElevenLabs voice settings, sent with the first message of a stream (or each HTTP request).
 *
 * @param stability       0..1, lower is more expressive [0.5]
 * @param similarityBoost 0..1, adherence to the original voice [0.75]
 * @param style           0..1, style exaggeration [0]
 * @param useSpeakerBoost boost similarity to the speaker [true]
 * @param speed           0.7..1.2 speaking rate [1]
 */
public record VoiceSettings(double stability, double similarityBoost, double style, boolean useSpeakerBoost, double speed) {

    /** ElevenLabs' documented defaults. */
    public static final VoiceSettings DEFAULTS = new VoiceSettings(0.5, 0.75, 0, true, 1.0);

    public VoiceSettings {
        unit("stability", stability);
        unit("similarityBoost", similarityBoost);
        unit("style", style);
        if (!(speed >= 0.7 && speed <= 1.2)) {
            throw new IllegalArgumentException("speed must be within 0.7..1.2, was " + speed);
        }
    }

    private static void unit(String what, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(what + " must be within 0..1, was " + v);
        }
    }

    /** Writes the wire form ({@code stability}, {@code similarity_boost}, ...) into {@code node}. */
    void writeTo(ObjectNode node) {
        node.put("stability", stability).put("similarity_boost", similarityBoost).put("style", style)
                .put("use_speaker_boost", useSpeakerBoost).put("speed", speed);
    }
}
