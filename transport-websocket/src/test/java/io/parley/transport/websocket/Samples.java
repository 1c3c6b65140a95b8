package io.parley.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The documented message shapes in {@code src/test/resources/protocols/*.txt}: fakes build
 * every message they send from these samples, changing only values, never shapes or types.
 */
final class Samples {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ObjectNode> messages = new LinkedHashMap<>();

    private Samples(String resource) {
        try (var in = Samples.class.getResourceAsStream("/protocols/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource protocols/" + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ", 3);
                messages.put(parts[0] + " " + parts[1], (ObjectNode) JSON.readTree(parts[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Samples load(String resource) {
        return new Samples(resource);
    }

    /** A copy of the sample {@code direction name}, e.g. {@code "in media"}. */
    ObjectNode get(String key) {
        ObjectNode n = messages.get(key);
        if (n == null) {
            throw new IllegalArgumentException("no sample " + key);
        }
        return n.deepCopy();
    }

    /** The sample as text, unchanged. */
    String text(String key) {
        return get(key).toString();
    }

    /** Whether a sample exists. */
    boolean has(String key) {
        return messages.containsKey(key);
    }

    /**
     * Sets the value at a dotted path, keeping the sample's type there: a string stays a
     * string ("2"), a number stays a number.
     */
    static ObjectNode set(ObjectNode msg, String path, Object value) {
        String[] keys = path.split("\\.");
        ObjectNode node = msg;
        for (int i = 0; i < keys.length - 1; i++) {
            node = (ObjectNode) node.get(keys[i]);
        }
        String last = keys[keys.length - 1];
        JsonNode old = node.get(last);
        if (old != null && old.isNumber() && value instanceof Number n) {
            node.put(last, n.longValue());
        } else {
            node.put(last, String.valueOf(value));
        }
        return msg;
    }

    /** The text at a dotted path, or null. */
    static String at(JsonNode msg, String path) {
        JsonNode n = msg;
        for (String k : path.split("\\.")) {
            n = n == null ? null : n.get(k);
        }
        return n == null || n.isNull() ? null : n.asText();
    }
}
