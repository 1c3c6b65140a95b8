/**
 * Deepgram for Parley: {@link io.parley.providers.deepgram.DeepgramStt} (live transcription over
 * {@code /v1/listen}) and {@link io.parley.providers.deepgram.DeepgramTts} (Aura over {@code /v1/speak}).
 */
package io.parley.providers.deepgram;
