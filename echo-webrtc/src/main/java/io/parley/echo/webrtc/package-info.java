/**
 * Echo cancellation for Parley sessions by libwebrtc's audio processing module, through the
 * webrtc-java natives: {@link io.parley.echo.webrtc.WebRtcEchoCanceller}, an
 * {@link io.parley.spi.EchoCanceller} for {@code VoiceSession.Builder#echoCancellation}.
 */
package io.parley.echo.webrtc;
