/**
 * The JSON messages of Deepgram's live transcription socket as Java values, and their decoder.
 * Public so that benchmarks and custom transports can reuse the decoder; most users only need
 * {@link io.parley.providers.deepgram.DeepgramStt}.
 */
package io.parley.providers.deepgram.wire;
