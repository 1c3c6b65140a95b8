package io.parley.providers.deepgram;

/** Real Deepgram live-transcription messages (see the shared providers reference), plus variations built from them. */
final class Samples {

    private Samples() {
    }

    /** DG-DOCS live-streaming-audio.mdx, wire order, words trimmed to two. */
    static final String RESULTS_FINAL = "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.98,\"start\":5.99,\"is_final\":true,"
            + "\"speech_final\":true,\"channel\":{\"alternatives\":[{\"transcript\":\"Tell me more about this.\",\"confidence\":0.99964225,"
            + "\"words\":[{\"word\":\"tell\",\"start\":6.0699997,\"end\":6.3499994,\"confidence\":0.99782443,\"punctuated_word\":\"Tell\"},"
            + "{\"word\":\"me\",\"start\":6.3499994,\"end\":6.6299996,\"confidence\":0.9998324,\"punctuated_word\":\"me\"}]}]},"
            + "\"metadata\":{\"request_id\":\"52cc0efe-fa77-4aa7-b79c-0dda09de2f14\",\"model_info\":{\"name\":\"2-general-nova\","
            + "\"version\":\"2024-01-18.26916\",\"arch\":\"nova-2\"},\"model_uuid\":\"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c\"},\"from_finalize\":false}";

    /** DG-PY4 recorded response: a final with an empty transcript. */
    static final String EMPTY_FINAL = "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.0,\"start\":0.0,\"is_final\":true,"
            + "\"speech_final\":true,\"channel\":{\"alternatives\":[{\"transcript\":\"\",\"confidence\":0.0,\"words\":[]}]},"
            + "\"metadata\":{\"request_id\":\"52cc0efe-fa77-4aa7-b79c-0dda09de2f14\",\"model_info\":{\"name\":\"2-general-nova\","
            + "\"version\":\"2024-01-18.26916\",\"arch\":\"nova-2\"},\"model_uuid\":\"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c\"},\"from_finalize\":false}";

    /** DG-DOCS utterance-end. */
    static final String UTTERANCE_END = "{\"channel\":[0,1],\"last_word_end\":2.395,\"type\":\"UtteranceEnd\"}";

    /** DG-DOCS speech-started. */
    static final String SPEECH_STARTED = "{\"type\":\"SpeechStarted\",\"channel\":[0,1],\"timestamp\":9.54}";

    /** deepgram-dotnet-sdk#342 raw wire log: Metadata before any audio was processed. */
    static final String METADATA_EMPTY = "{\"type\":\"Metadata\",\"transaction_key\":\"deprecated\",\"request_id\":"
            + "\"deda472a-6bf0-4ea4-88c5-0d235032c6f4\",\"sha256\":\"fc4ef741527af4eb3e4d0d7c81b8685111ac40c6fa806491a86c2b5ac137463f\","
            + "\"created\":\"2024-10-23T14:57:23.420Z\",\"duration\":0.0,\"channels\":0}";

    /** Metadata after audio was processed (with models and model_info). */
    static final String METADATA_FULL = "{\"type\":\"Metadata\",\"transaction_key\":\"deprecated\",\"request_id\":"
            + "\"01a03ac3-92a1-79f0-ad85-2cee59754422\",\"sha256\":\"incomplete\",\"created\":\"2026-08-25T21:11:31.685Z\","
            + "\"duration\":44.259937,\"channels\":1,\"models\":[\"7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b\"],\"model_info\":"
            + "{\"7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b\":{\"name\":\"2-phonecall-nova\",\"version\":\"2024-02-07.20824\",\"arch\":\"nova-2\"}}}";

    /** Close reasons quoted verbatim in deepgram-python-sdk#319 / #509. */
    static final String NET_0000 = "Deepgram did not provide a response message within the timeout window. See https://dpgr.am/net0000";
    static final String NET_0001 = "Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001";

    /**
     * A Results message in the real shape with chosen values; {@code words} entries are
     * {word, start, end} and get a speaker when {@code speaker >= 0}.
     */
    static String results(double start, double duration, boolean isFinal, boolean speechFinal, boolean fromFinalize,
                          String transcript, int speaker, Object[]... words) {
        StringBuilder w = new StringBuilder();
        for (Object[] word : words) {
            if (w.length() > 0) {
                w.append(',');
            }
            w.append("{\"word\":\"").append(word[0]).append("\",\"start\":").append(word[1]).append(",\"end\":").append(word[2])
                    .append(",\"confidence\":0.97");
            if (speaker >= 0) {
                w.append(",\"speaker\":").append(speaker);
            }
            w.append(",\"punctuated_word\":\"").append(word.length > 3 ? word[3] : word[0]).append("\"}");
        }
        return "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":" + duration + ",\"start\":" + start
                + ",\"is_final\":" + isFinal + ",\"speech_final\":" + speechFinal + ",\"channel\":{\"alternatives\":[{\"transcript\":\""
                + transcript + "\",\"confidence\":0.97,\"words\":[" + w + "]}]},\"metadata\":{\"request_id\":"
                + "\"52cc0efe-fa77-4aa7-b79c-0dda09de2f14\",\"model_info\":{\"name\":\"2-general-nova\",\"version\":\"2024-01-18.26916\","
                + "\"arch\":\"nova-2\"},\"model_uuid\":\"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c\"},\"from_finalize\":" + fromFinalize + "}";
    }
}
