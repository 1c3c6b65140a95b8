/**
 * Statistics and conversation analysis of recordings.
 */
package io.parley.recording.analysis;
