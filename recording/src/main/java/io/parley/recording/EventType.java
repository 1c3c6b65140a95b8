package io.parley.recording;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a {@link RecordingEvent} records; serialized as the lower-case names shown. */
public enum EventType {
    /** A final transcript of what the user said ({@code user_message}). */
    USER_MESSAGE("user_message", true),
    /** An interim transcript that a later one revises ({@code user_interim}). */
    USER_INTERIM("user_interim", false),
    /** What the agent said; interrupted replies hold only what was heard ({@code bot_response}). */
    BOT_RESPONSE("bot_response", true),
    /** A note from the recorder or the host, e.g. recording paused ({@code system_message}). */
    SYSTEM_MESSAGE("system_message", true),
    /** Latencies of one finished turn ({@code turn}). */
    TURN("turn", false),
    /** The user barged in on the agent ({@code interruption}). */
    INTERRUPTION("interruption", false),
    /** A bookmark placed by someone ({@code tag}). */
    TAG("tag", false),
    /** Something failed in the session ({@code error}). */
    ERROR("error", false),
    /** The session changed state ({@code state}). */
    STATE("state", false);

    private final String wireName;
    private final boolean message;

    EventType(String wireName, boolean message) {
        this.wireName = wireName;
        this.message = message;
    }

    /** The name used in files. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether this counts as a message (said by someone) in counts, exports and statistics. */
    public boolean isMessage() {
        return message;
    }

    /**
     * The type with the given file name.
     *
     * @throws IllegalArgumentException if there is none
     */
    @JsonCreator
    public static EventType fromWireName(String name) {
        for (EventType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + name + "'");
    }
}
