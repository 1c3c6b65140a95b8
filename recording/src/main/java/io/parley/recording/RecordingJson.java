package io.parley.recording;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The Jackson setup every recording file and JSON export shares: instants as ISO-8601 text,
 * durations as ISO-8601 text, unknown fields tolerated so newer files open in older versions.
 */
public final class RecordingJson {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private RecordingJson() {
    }

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies the recording conventions to another mapper (e.g. a CSV or XML one). */
    public static <M extends ObjectMapper> M configure(M mapper) {
        SimpleModule time = new SimpleModule("parley-time");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider p) throws IOException {
                gen.writeString(value.toString());
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String s = p.getValueAsString();
                try {
                    return Instant.parse(s);
                } catch (DateTimeParseException e) {
                    return (Instant) ctx.handleWeirdStringValue(Instant.class, s, "not an ISO-8601 instant");
                }
            }
        });
        time.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider p) throws IOException {
                gen.writeString(value.toString());
            }
        });
        time.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String s = p.getValueAsString();
                try {
                    return Duration.parse(s);
                } catch (DateTimeParseException e) {
                    return (Duration) ctx.handleWeirdStringValue(Duration.class, s, "not an ISO-8601 duration");
                }
            }
        });
        mapper.registerModule(time);
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        return mapper;
    }
}
