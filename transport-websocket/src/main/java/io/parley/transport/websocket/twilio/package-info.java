/**
 * Twilio specifics around the media stream: the TwiML that connects a call to it and the
 * webhook signature check.
 */
package io.parley.transport.websocket.twilio;
