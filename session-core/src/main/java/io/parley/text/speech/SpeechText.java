package io.parley.text.speech;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chain of {@link TextTransform}s between an agent and a synthesizer: the agent writes
 * "**Total:** $42.50 🎉", the synthesizer is given "Total: forty-two dollars and fifty cents".
 * The transcript keeps the written form; only the synthesizer sees the spoken one.
 *
 * <pre>{@code
 * SpeechText speech = SpeechText.defaults(Locale.US);          // markdown, emoji, English
 * SpeechTextStream reply = speech.stream();
 * tts.pushText(reply.push(token));                              // as tokens arrive
 * tts.pushText(reply.flush());                                  // at the end of the reply
 * }</pre>
 *
 * <p>Immutable and thread-safe; each reply gets its own {@link #stream()}.
 */
public final class SpeechText {

    private static final SpeechText NONE = new SpeechText(List.of());

    private final List<TextTransform> transforms;

    private SpeechText(List<TextTransform> transforms) {
        this.transforms = List.copyOf(transforms);
    }

    /** A chain that passes text through unchanged. */
    public static SpeechText none() {
        return NONE;
    }

    /** {@link #defaults(Locale)} for US English. */
    public static SpeechText defaults() {
        return defaults(Locale.US);
    }

    /**
     * Markdown and emoji removal, then, for English locales, numbers, dates, times, currencies,
     * percentages, units, phone numbers, e-mail addresses and URLs written out for speech.
     * Other languages get markdown and emoji removal only: add a transform of your own for their
     * numbers.
     *
     * @throws NullPointerException if {@code locale} is null
     */
    public static SpeechText defaults(Locale locale) {
        Args.notNull(locale, "locale");
        Builder b = builder().add(TextTransforms.markdown()).add(TextTransforms.emoji());
        if (TextTransforms.supportsNormalization(locale)) {
            b.add(TextTransforms.normalization(locale));
        }
        return b.build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder(List.of());
    }

    /** A builder starting with this chain's transforms. */
    public Builder toBuilder() {
        return new Builder(transforms);
    }

    /** The transforms, in the order they run. */
    public List<TextTransform> transforms() {
        return transforms;
    }

    /** True if this chain changes nothing. */
    public boolean isEmpty() {
        return transforms.isEmpty();
    }

    /** A new stream for one reply. */
    public SpeechTextStream stream() {
        return new SpeechTextStream(transforms);
    }

    /** The spoken form of a whole text. */
    public String apply(String text) {
        SpeechTextStream s = stream();
        return s.push(text) + s.flush();
    }

    /** Builds a {@link SpeechText}. */
    public static final class Builder {
        private final List<TextTransform> transforms;

        private Builder(List<TextTransform> initial) {
            transforms = new ArrayList<>(initial);
        }

        /** Appends a transform; it runs on the output of those added before it. */
        public Builder add(TextTransform transform) {
            transforms.add(Args.notNull(transform, "transform"));
            return this;
        }

        /** The chain. */
        public SpeechText build() {
            return transforms.isEmpty() ? NONE : new SpeechText(transforms);
        }
    }
}
