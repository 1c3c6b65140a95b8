package io.parley.recording.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.RecordingJson;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.security.LineSealer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an event log's bytes, tolerating the damage a crash can cause: the last line may be
 * torn (no newline, incomplete JSON or sealed data) and is then skipped and reported.
 */
final class EventLog {

    /** What was read. {@code lines} counts complete lines (the index the next line gets). */
    record Parsed(List<RecordingEvent> events, int lines, int tornLines, int damagedLines, List<String> problems,
                  long validBytes) {
    }

    private EventLog() {
    }

    static Parsed parse(byte[] bytes, KeyProvider keys, String what) {
        List<RecordingEvent> events = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int lines = 0;
        int torn = 0;
        int damaged = 0;
        int start = 0;
        long validBytes = 0;
        while (start < bytes.length) {
            int nl = indexOf(bytes, (byte) '\n', start);
            boolean complete = nl >= 0;
            int end = complete ? nl : bytes.length;
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            if (complete) {
                lines++;
                validBytes = nl + 1L;
            }
            if (!line.isBlank()) {
                try {
                    events.add(decode(line, lines - (complete ? 1 : 0), keys));
                } catch (RecordingException | JsonProcessingException | IllegalArgumentException e) {
                    if (!complete) {
                        torn++;
                        problems.add(what + ": last line (" + (end - start) + " bytes) is incomplete and was skipped");
                    } else if (e instanceof RecordingException re && re.problem() == Problem.DECRYPTION_FAILED) {
                        throw re;
                    } else {
                        damaged++;
                        problems.add(what + ": line " + lines + " is unreadable and was skipped (" + e.getMessage() + ")");
                    }
                }
            }
            if (complete && line.isBlank()) {
                validBytes = nl + 1L;
            }
            start = end + 1;
        }
        return new Parsed(events, lines, torn, damaged, problems, validBytes);
    }

    private static RecordingEvent decode(String line, int index, KeyProvider keys) throws JsonProcessingException {
        String json = LineSealer.isSealed(line) ? LineSealer.open(keys, line, index) : line;
        return RecordingJson.mapper().readValue(json, RecordingEvent.class);
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
