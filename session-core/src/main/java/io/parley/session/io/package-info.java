/**
 * One-line audio plumbing for hosts and tests: {@link io.parley.session.io.AudioFeed} streams a
 * WAV file, an {@link io.parley.audio.AudioClip} or raw PCM into a session, and
 * {@link io.parley.session.io.WavRecorder} writes what the user and the agent said to WAV files.
 */
package io.parley.session.io;
