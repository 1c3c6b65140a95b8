/**
 * Prosody of the user's voice on the inbound path: {@link io.parley.audio.prosody.ProsodyTracker}
 * follows pitch (YIN) and loudness frame by frame without allocating, and at the end of speech
 * gives a {@link io.parley.audio.prosody.Prosody}: the pitch contour of the last voiced stretch,
 * its lengthening and its fade, which turn detectors read from
 * {@link io.parley.spi.TurnContext#prosody()}.
 */
package io.parley.audio.prosody;
