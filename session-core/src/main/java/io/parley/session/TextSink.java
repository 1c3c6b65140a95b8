package io.parley.session;

/**
 * Where a {@link StreamingAgent} writes its reply as it is generated. Thread-safe; writes
 * after {@link #complete()}, {@link #fail(Throwable)} or cancellation are ignored.
 */
public interface TextSink {

    /** Appends a piece of the reply; it is spoken as soon as the synthesizer can. */
    void write(String chunk);

    /** The reply is complete. */
    void complete();

    /** The reply failed; reported to listeners as {@link ErrorCode#AGENT_ERROR}. */
    void fail(Throwable error);
}
