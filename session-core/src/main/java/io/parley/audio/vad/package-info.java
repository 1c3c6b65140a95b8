/**
 * Voice activity detection without model files: {@link io.parley.audio.vad.DspVad}, the
 * session default. The Silero neural detector lives in {@code parley-providers-local}.
 */
package io.parley.audio.vad;
