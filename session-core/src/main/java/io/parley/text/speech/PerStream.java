package io.parley.text.speech;

/**
 * A built-in transform that works faster with state of its own per stream (reused matchers and
 * buffers). A {@link SpeechTextStream} runs {@link #forStream()}'s transform instead of the
 * shared one; it gives the same text.
 */
interface PerStream {

    /** This transform for one stream: used by one thread at a time. */
    TextTransform forStream();
}
