package io.parley.bench.session;

/**
 * The load harness's count of reply audio at the end of a run, caller by caller: audio lost
 * from replies the session reported finished, and apart from it the audio of replies still in
 * flight when the count is taken.
 *
 * <p>A finished (not interrupted) reply is {@link LoadTts#REPLY_SAMPLES} long, so a caller whose
 * replies have all ended lost what its transport did not get of them: the finished replies'
 * length less what reached the transport and was not cut. A caller with a reply still playing
 * (or whose end its listener has not been told of yet) has that reply's audio at the transport
 * but not among its finished replies; counted the same way, it made the lost count negative
 * when the drivers or loops fell far behind and replies were still playing at the harness's
 * settle limit. Such a caller's loss cannot be told apart from its reply in flight, so it is
 * reported as in flight: how many callers, and the net audio their transports hold beyond their
 * finished replies.
 */
final class ReplyAudio {

    private long lostSamples;
    private long inFlightSamples;
    private int unsettled;

    /**
     * Adds one caller.
     *
     * @param settled   whether its session is listening and its listener was told the end of
     *                  every reply it was told the start of
     * @param finished  replies reported finished (played to the end)
     * @param received  samples its transport received
     * @param cleared   samples of those that belonged to replies the session cut
     */
    void add(boolean settled, long finished, long received, long cleared) {
        long delivered = received - cleared;
        long expected = finished * LoadTts.REPLY_SAMPLES;
        if (settled) {
            lostSamples += expected - delivered;
        } else {
            unsettled++;
            inFlightSamples += delivered - expected;
        }
    }

    /** Samples of finished replies that never reached the transport, over the settled callers. */
    long lostSamples() {
        return lostSamples;
    }

    /** Samples at the unsettled callers' transports beyond their finished replies. */
    long inFlightSamples() {
        return inFlightSamples;
    }

    /** Callers with a reply in flight at the count. */
    int unsettled() {
        return unsettled;
    }
}
