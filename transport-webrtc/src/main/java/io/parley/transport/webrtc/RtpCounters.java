package io.parley.transport.webrtc;

/**
 * RTP counters of a transport's audio streams, as libwebrtc's statistics report them.
 *
 * @param packetsSent     RTP packets sent to the remote peer
 * @param packetsReceived RTP packets received from it
 * @param bytesSent       RTP payload bytes sent
 * @param bytesReceived   RTP payload bytes received
 */
public record RtpCounters(long packetsSent, long packetsReceived, long bytesSent, long bytesReceived) {
}
