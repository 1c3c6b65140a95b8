package io.parley.recording.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.RecordingJson;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.security.LineSealer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one segment's event log line by line (constant memory), tolerating the damage a crash
 * can cause and reporting every kind of loss: a torn last line, unreadable lines, and a log
 * that stops before its end marker (a crash, or a file cut at a line boundary). A finished log
 * ends with {@code {"end_of_log":true,"events":N}} (sealed like the other lines in an
 * encrypted store), so a shortened log never passes for a complete one.
 */
final class EventLog {

    static final String END_FIELD = "end_of_log";

    /**
     * What reading found.
     *
     * @param lines      complete lines, end marker included (the index the next line gets)
     * @param validBytes where the last complete line ends
     */
    record Summary(long lines, long events, int tornLines, int damagedLines, boolean ended, long lastSeq,
                   long validBytes, List<String> problems) {
    }

    private EventLog() {
    }

    /** The sealing index of line {@code line} of segment {@code segment}: binds each line to its place. */
    static long lineIndex(int segment, long line) {
        return ((long) segment << 32) | line;
    }

    /** The end marker line's JSON for a segment of {@code events} events. */
    static String endMarker(long events) {
        return "{\"" + END_FIELD + "\":true,\"events\":" + events + "}";
    }

    /**
     * Streams the events of {@code in} into {@code sink}.
     *
     * @param keys   the store's keys; lines must be sealed exactly when this is non-null
     * @throws RecordingException DECRYPTION_FAILED if the key is wrong
     */
    static Summary read(InputStream in, KeyProvider keys, int segment, String what, Consumer<RecordingEvent> sink)
            throws IOException {
        List<String> problems = new ArrayList<>();
        long lines = 0;
        long events = 0;
        int torn = 0;
        int damaged = 0;
        boolean ended = false;
        long lastSeq = 0;
        long valid = 0;
        LineReader reader = new LineReader(in);
        byte[] line;
        while ((line = reader.next()) != null) {
            boolean complete = reader.terminated();
            String text = new String(line, 0, reader.length(), StandardCharsets.UTF_8);
            if (!complete) {
                if (!text.isBlank()) {
                    torn++;
                    problems.add(what + ": last line (" + reader.length() + " bytes) is incomplete (cut off) and was skipped");
                }
                break;
            }
            long index = lines++;
            valid = reader.consumed();
            if (text.isBlank()) {
                continue;
            }
            String json;
            try {
                json = decode(text, keys, lineIndex(segment, index));
            } catch (RecordingException e) {
                if (e.problem() == Problem.DECRYPTION_FAILED && index == 0) {
                    throw e;
                }
                damaged++;
                problems.add(what + ": line " + (index + 1) + " is unreadable and was skipped (" + e.getMessage() + ")");
                continue;
            }
            if (ended) {
                damaged++;
                problems.add(what + ": line " + (index + 1) + " follows the end marker and was ignored");
                continue;
            }
            try {
                if (json.startsWith("{\"" + END_FIELD + "\"")) {
                    JsonNode n = RecordingJson.mapper().readTree(json);
                    ended = true;
                    long said = n.path("events").asLong(-1);
                    if (said != events) {
                        problems.add(what + ": end marker counts " + said + " events but " + events + " were read");
                    }
                    continue;
                }
                RecordingEvent e = RecordingJson.mapper().readValue(json, RecordingEvent.class);
                events++;
                lastSeq = e.seq();
                sink.accept(e);
            } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
                damaged++;
                problems.add(what + ": line " + (index + 1) + " is unreadable and was skipped (" + e.getMessage() + ")");
            }
        }
        if (!ended) {
            problems.add(what + ": log ends without its end marker after " + events
                    + " events (cut off; anything after that is lost)");
        }
        return new Summary(lines, events, torn, damaged, ended, lastSeq, valid, problems);
    }

    private static String decode(String line, KeyProvider keys, long index) {
        boolean sealed = LineSealer.isSealed(line);
        if (keys != null && !sealed) {
            throw new RecordingException(Problem.CORRUPT, "plain line in an encrypted log");
        }
        if (keys == null && sealed) {
            throw new RecordingException(Problem.DECRYPTION_FAILED, "the log is encrypted but no KeyProvider is configured");
        }
        return sealed ? LineSealer.open(keys, line, index) : line;
    }

    /** Splits a stream into lines without decoding it, remembering whether the last one was terminated. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int lim;
        private byte[] line = new byte[1024];
        private int len;
        private boolean terminated;
        private long consumed;

        LineReader(InputStream in) {
            this.in = in;
        }

        byte[] next() throws IOException {
            len = 0;
            terminated = false;
            while (true) {
                if (pos == lim) {
                    lim = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (lim <= 0) {
                        lim = 0;
                        return len > 0 ? line : null;
                    }
                }
                int start = pos;
                while (pos < lim && buf[pos] != '\n') {
                    pos++;
                }
                append(start, pos - start);
                consumed += pos - start;
                if (pos < lim) {
                    pos++;
                    consumed++;
                    terminated = true;
                    return line;
                }
            }
        }

        private void append(int from, int n) {
            if (len + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, len + n));
            }
            System.arraycopy(buf, from, line, len, n);
            len += n;
        }

        int length() {
            return len;
        }

        boolean terminated() {
            return terminated;
        }

        long consumed() {
            return consumed;
        }
    }
}
