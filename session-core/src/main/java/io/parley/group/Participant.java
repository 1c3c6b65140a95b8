package io.parley.group;

import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.util.Objects;

/**
 * One person in a {@link GroupSession}, returned by {@link GroupSession#join}. Audio methods
 * are for one thread at a time (the participant's connection); the others are thread-safe.
 */
public final class Participant {

    private final GroupSession session;
    private final String id;
    private final String name;
    private final ParticipantKind kind;
    private final AgentAudioSink sink;
    private Ear ear;
    private volatile boolean present = true;

    Participant(GroupSession session, String id, String name, ParticipantKind kind, AgentAudioSink sink) {
        this.session = session;
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.sink = sink;
    }

    /** The id given at join, unique among present participants. */
    public String id() {
        return id;
    }

    /** The display name transcripts are attributed to. */
    public String name() {
        return name;
    }

    /** Whether they speak or only type. */
    public ParticipantKind kind() {
        return kind;
    }

    /** True until they leave or the session stops. */
    public boolean present() {
        return present;
    }

    /**
     * Feeds their microphone audio in the session's input format.
     *
     * @throws IllegalStateException if this is a {@link ParticipantKind#TEXT} participant
     * @throws SessionException      {@link ErrorCode#SESSION_NOT_ACTIVE} after they left;
     *                               {@link ErrorCode#INVALID_AUDIO} for another format
     */
    public void sendAudio(AudioFrame frame) {
        Objects.requireNonNull(frame, "frame");
        checkVoice();
        ear.write(frame);
    }

    /**
     * Feeds PCM16LE audio in the session's input format, timed by the amount received.
     *
     * @throws IllegalArgumentException on an odd byte count
     * @throws IllegalStateException    if this is a {@link ParticipantKind#TEXT} participant
     * @throws SessionException         {@link ErrorCode#SESSION_NOT_ACTIVE} after they left
     */
    public void sendAudio(byte[] pcm16le) {
        Objects.requireNonNull(pcm16le, "pcm16le");
        checkVoice();
        ear.write(pcm16le);
    }

    /**
     * Ends their current utterance now, e.g. when a push-to-talk button is released, instead of
     * waiting for the silence that voice activity detection would need.
     */
    public void endOfSpeech() {
        checkVoice();
        ear.endOfSpeech();
    }

    /**
     * A typed turn.
     *
     * @throws IllegalArgumentException if {@code text} is null, blank or over 4000 characters
     * @throws SessionException         {@link ErrorCode#SESSION_NOT_ACTIVE} after they left
     */
    public void sendText(String text) {
        if (text == null || text.isBlank() || text.length() > 4000) {
            throw new IllegalArgumentException("text must be 1-4000 characters and not blank");
        }
        checkPresent();
        session.typed(this, text.trim());
    }

    /** Leaves the session; idempotent. */
    public void leave() {
        session.leave(this);
    }

    AgentAudioSink sink() {
        return sink;
    }

    Ear ear() {
        return ear;
    }

    /** Set once at join, before the participant is published. */
    void ear(Ear e) {
        this.ear = e;
    }

    void markGone() {
        present = false;
    }

    private void checkVoice() {
        if (kind != ParticipantKind.VOICE) {
            throw new IllegalStateException("participant " + id + " joined as a text participant");
        }
        checkPresent();
    }

    private void checkPresent() {
        if (!present) {
            throw new SessionException(ErrorCode.SESSION_NOT_ACTIVE, "participant " + id + " has left the session");
        }
    }

    @Override
    public String toString() {
        return "Participant[" + id + ", " + name + ", " + kind + "]";
    }
}
