/**
 * Echo handling without native code: {@link io.parley.audio.echo.EchoGate} keeps the agent's
 * own voice, returning through the user's microphone, from counting as user speech, using the
 * session's outbound audio as the far-end reference.
 */
package io.parley.audio.echo;
