/**
 * Silero VAD v5 through ONNX Runtime: {@link io.parley.providers.local.vad.SileroVad}.
 */
package io.parley.providers.local.vad;
