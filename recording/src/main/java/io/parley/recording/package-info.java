/**
 * Recording voice sessions: {@link io.parley.recording.SessionRecorder} writes every event to a JSONL log and both sides of the audio to a stereo track; {@link io.parley.recording.RecordingMerger} and {@link io.parley.recording.RecordingAppender} work on stored recordings.
 */
package io.parley.recording;
