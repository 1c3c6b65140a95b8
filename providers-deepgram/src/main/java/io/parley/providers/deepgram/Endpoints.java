package io.parley.providers.deepgram;

/** Where the Deepgram providers connect unless told otherwise. */
final class Endpoints {

    /** Deepgram's public API host; tests and proxies override it with {@code baseUrl(..)}. */
    static final String DEFAULT_BASE_URL = "wss://api.deepgram.com";

    private Endpoints() {
    }
}
