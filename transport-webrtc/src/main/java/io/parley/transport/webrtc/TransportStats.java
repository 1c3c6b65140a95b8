package io.parley.transport.webrtc;

/**
 * Counters of one {@link WebRtcTransport}, for monitoring.
 *
 * @param receivedChunks       10 ms inbound chunks accepted from libwebrtc since start
 * @param droppedChunks        inbound chunks dropped because the listener fell a whole
 *                             inbound buffer behind
 * @param playedSamples        outbound samples pushed to the encoder
 * @param clearedSamples       outbound samples discarded by clearPlayback
 * @param queuedSamples        outbound samples waiting right now
 */
public record TransportStats(long receivedChunks, long droppedChunks, long playedSamples, long clearedSamples, int queuedSamples) {
}
