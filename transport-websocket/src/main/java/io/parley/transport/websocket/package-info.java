/**
 * Phone calls and raw audio over WebSocket: {@link io.parley.transport.websocket.MediaStreamTransport}
 * carries one call's audio for a {@code VoiceSession}; {@link io.parley.transport.websocket.MediaStreamProtocol}
 * reads and writes one provider's messages (Twilio, Telnyx, Plivo, Exotel, Vonage, raw PCM);
 * {@link io.parley.transport.websocket.TelephonyRoutes} puts the endpoints on Javalin.
 */
package io.parley.transport.websocket;
