/**
 * ElevenLabs text-to-speech for Parley: {@link io.parley.providers.elevenlabs.ElevenLabsTts} over the
 * {@code stream-input} and {@code multi-stream-input} websockets, and
 * {@link io.parley.providers.elevenlabs.ElevenLabsHttpTts} over HTTP streaming.
 */
package io.parley.providers.elevenlabs;
