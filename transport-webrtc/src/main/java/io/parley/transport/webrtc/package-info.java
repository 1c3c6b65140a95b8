/**
 * WebRTC audio for Parley sessions: {@link io.parley.transport.webrtc.WebRtcEngine} (libwebrtc,
 * set up in its one safe order), {@link io.parley.transport.webrtc.WebRtcTransport} (the
 * {@link io.parley.spi.Transport} of one peer connection), WHIP signalling (RFC 9725:
 * {@link io.parley.transport.webrtc.WhipHandler}, served on Javalin by
 * {@link io.parley.transport.webrtc.WhipServer} or mounted into an application's own Javalin
 * with {@link io.parley.transport.webrtc.WhipRoutes}; {@link io.parley.transport.webrtc.WhipClient})
 * and the session's events on the {@code parley-events} data channel ({@link io.parley.transport.webrtc.EventChannel}).
 *
 * <pre>{@code
 * WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults());
 * WhipServer server = WhipServer.builder()
 *         .whip(WhipHandler.builder().engine(engine).authenticator(tokens::userOf)
 *                 .onSession(transport -> {
 *                     VoiceSession session = VoiceSession.builder().transport(transport)
 *                             .stt(stt).tts(tts).agent(agent).build();
 *                     EventChannel.attach(session, transport);
 *                     transport.onClose(session::stopAsync);
 *                     session.startAsync();
 *                 })
 *                 .build())
 *         .start();
 * }</pre>
 */
package io.parley.transport.webrtc;
