/**
 * The stereo audio track: aligning user and agent audio on the session clock, WAV reading and writing.
 */
package io.parley.recording.audio;
