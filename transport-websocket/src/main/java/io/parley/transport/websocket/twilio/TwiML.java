package io.parley.transport.websocket.twilio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TwiML document that answers Twilio's voice webhook by connecting the call to a
 * bidirectional media stream ({@code <Connect><Stream>}), optionally after a spoken line.
 *
 * <pre>{@code
 * String xml = TwiML.connectStream("wss://voice.example.com/twilio")
 *         .parameter("tenant", "acme")
 *         .build();
 * }</pre>
 *
 * <p>Twilio rejects a stream URL that is not {@code wss://} (error 31922) and passes no query
 * string to it; values for the session go as {@code <Parameter>}s and arrive in
 * {@code start.customParameters}.
 */
public final class TwiML {

    private final String url;
    private final List<String> says = new ArrayList<>();
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private String statusCallback;

    private TwiML(String url) {
        this.url = url;
    }

    /**
     * A document connecting the call to the stream at {@code wssUrl}.
     *
     * @throws IllegalArgumentException if the URL is not {@code wss://} or has a query string
     */
    public static TwiML connectStream(String wssUrl) {
        notNull(wssUrl, "wssUrl");
        if (!wssUrl.startsWith("wss://")) {
            throw new IllegalArgumentException("Twilio streams need a wss:// URL, got " + wssUrl);
        }
        if (wssUrl.indexOf('?') >= 0) {
            throw new IllegalArgumentException("Twilio drops query strings from stream URLs; use parameter(..): " + wssUrl);
        }
        return new TwiML(wssUrl);
    }

    /** Speaks {@code text} with Twilio's voice before connecting. */
    public TwiML say(String text) {
        says.add(notNull(text, "text"));
        return this;
    }

    /** Passes a value to the stream's {@code start.customParameters}. */
    public TwiML parameter(String name, String value) {
        if (notNull(name, "name").isEmpty()) {
            throw new IllegalArgumentException("parameter name must not be empty");
        }
        parameters.put(name, notNull(value, "value"));
        return this;
    }

    /** Asks Twilio to POST stream status changes to {@code url}. */
    public TwiML statusCallback(String url) {
        this.statusCallback = notNull(url, "url");
        return this;
    }

    /** The XML document. */
    public String build() {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>");
        for (String s : says) {
            x.append("<Say>").append(escape(s)).append("</Say>");
        }
        x.append("<Connect><Stream url=\"").append(escape(url)).append('"');
        if (statusCallback != null) {
            x.append(" statusCallback=\"").append(escape(statusCallback)).append('"');
        }
        if (parameters.isEmpty()) {
            x.append("/>");
        } else {
            x.append('>');
            parameters.forEach((k, v) -> x.append("<Parameter name=\"").append(escape(k))
                    .append("\" value=\"").append(escape(v)).append("\"/>"));
            x.append("</Stream>");
        }
        return x.append("</Connect></Response>").toString();
    }

    private static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
