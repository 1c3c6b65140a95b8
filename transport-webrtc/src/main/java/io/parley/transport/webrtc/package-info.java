/**
 * WebRTC audio for Parley sessions: {@link io.parley.transport.webrtc.WebRtcEngine} (libwebrtc,
 * set up in its one safe order), {@link io.parley.transport.webrtc.WebRtcTransport} (the
 * {@link io.parley.spi.Transport} of one peer connection), and WHIP signalling
 * ({@link io.parley.transport.webrtc.WhipHandler}, {@link io.parley.transport.webrtc.WhipServer},
 * {@link io.parley.transport.webrtc.WhipClient}).
 *
 * <pre>{@code
 * WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults());
 * WhipServer server = WhipServer.builder()
 *         .whip(WhipHandler.builder().engine(engine).bearerToken(token)
 *                 .onSession(transport -> VoiceSession.builder().transport(transport)
 *                         .stt(stt).tts(tts).agent(agent).build().startAsync())
 *                 .build())
 *         .start();
 * }</pre>
 */
package io.parley.transport.webrtc;
