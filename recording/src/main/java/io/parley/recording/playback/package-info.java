/**
 * Replaying recordings into a sink or a transport, with events kept in step with the audio.
 */
package io.parley.recording.playback;
