/**
 * PCM16 audio in memory and in flight: the frame and format types, plus the toolkit the
 * real-time path uses without allocating per frame: {@link io.parley.audio.Resampler}
 * (8-48 kHz, streaming), {@link io.parley.audio.G711} codecs,
 * {@link io.parley.audio.ChannelMixer}, {@link io.parley.audio.LevelMeter},
 * {@link io.parley.audio.FrameRechunker} and {@link io.parley.audio.SpectralNoiseSuppressor};
 * and for whole clips, {@link io.parley.audio.AudioClip} and {@link io.parley.audio.Wav}.
 */
package io.parley.audio;
