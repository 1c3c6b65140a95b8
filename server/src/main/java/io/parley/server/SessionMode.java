package io.parley.server;

import java.util.Locale;

/** How participants take part, and the session's time limit. */
public enum SessionMode {
    /** Typing only; 2 hours by default. */
    TEXT_ONLY(120),
    /** Microphones in the browser (WebSocket or WebRTC) and typing; 1 hour by default. */
    VOICE_BROWSER(60);

    private final int defaultMinutes;

    SessionMode(int defaultMinutes) {
        this.defaultMinutes = defaultMinutes;
    }

    /** The default time limit in minutes. */
    public int defaultMinutes() {
        return defaultMinutes;
    }

    /** The name used in the API, e.g. {@code voice_browser}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode with this API name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SessionMode parse(String name) {
        for (SessionMode m : values()) {
            if (m.wireName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be text_only or voice_browser; was '" + name + "'");
    }
}
