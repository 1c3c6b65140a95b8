package io.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/** Typed, bounded reads of JSON request fields; each failure is a 400 naming the field. */
final class Fields {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private Fields() {
    }

    static void onlyKnown(JsonNode body, Set<String> known) {
        body.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw ApiException.badRequest("unknown field '" + f + "'; accepted: " + String.join(", ", known.stream().sorted().toList()));
            }
        });
    }

    /** A string field, or {@code dflt} if absent or null. */
    static String string(JsonNode body, String field, int maxChars, String dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        String s = n.asText();
        if (s.length() > maxChars) {
            throw ApiException.badRequest(field + " must be at most " + maxChars + " characters, was " + s.length());
        }
        return s;
    }

    static String requiredString(JsonNode body, String field, int maxChars) {
        String s = string(body, field, maxChars, null);
        if (s == null || s.isBlank()) {
            throw ApiException.badRequest(field + " is required");
        }
        return s.trim();
    }

    static Boolean bool(JsonNode body, String field, Boolean dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest(field + " must be true or false");
        }
        return n.asBoolean();
    }

    static Integer integer(JsonNode body, String field, int min, int max, Integer dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw ApiException.badRequest(field + " must be a whole number from " + min + " to " + max);
        }
        return n.asInt();
    }

    static Long time(JsonNode body, String field) {
        String s = string(body, field, 64, null);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + " must be an ISO-8601 instant such as 2026-01-31T15:00:00Z, was '" + s + "'");
        }
    }

    /** A path or body id: letters, digits and dashes, at most 64. */
    static String id(String value, String what) {
        if (value == null || !ID.matcher(value).matches()) {
            throw ApiException.badRequest(what + " must be 1-64 letters, digits or dashes");
        }
        return value;
    }
}
