package io.parley.recording.export;

import io.parley.recording.EventType;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.audio.AudioTrack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the HTML and PDF reports draw, computed in one streaming pass over the audio (constant
 * memory however long the call): a waveform envelope per channel, who spoke when (speech
 * stretches per channel, their overlaps and the barge-ins), per-turn latencies and the
 * transcript with each message's position in seconds.
 */
final class CallReport {

    /** Latencies drawn per turn, in this order, with their labels. */
    static final Map<String, String> LATENCIES = latencyLabels();

    /** Columns of the waveform envelope. */
    static final int COLUMNS = 600;
    private static final double SPEECH_RMS = 300;
    private static final double MERGE_GAP_S = 0.3;
    private static final double MIN_SPEECH_S = 0.1;

    /** A stretch of time in seconds from the start of the recording. */
    record Span(double start, double end) {
    }

    /** One finished turn: where it starts and its latencies in milliseconds (absent ones missing). */
    record Turn(long turnId, double at, Map<String, Long> latenciesMs) {
    }

    /** One transcript line. */
    record Line(double at, RecordingEvent event) {
    }

    final double seconds;
    final float[][] peaks;
    final List<Span> user;
    final List<Span> agent;
    final List<Span> overlaps;
    final List<Double> bargeIns;
    final List<Turn> turns;
    final List<Line> lines;
    final boolean hasAudio;

    private CallReport(double seconds, float[][] peaks, List<Span> user, List<Span> agent, List<Double> bargeIns,
                       List<Turn> turns, List<Line> lines, boolean hasAudio) {
        this.seconds = seconds;
        this.peaks = peaks;
        this.user = user;
        this.agent = agent;
        this.overlaps = intersect(user, agent);
        this.bargeIns = bargeIns;
        this.turns = turns;
        this.lines = lines;
        this.hasAudio = hasAudio;
    }

    static CallReport of(Recording r) {
        Optional<AudioTrack> audio = r.audio();
        List<Line> lines = new ArrayList<>();
        Map<Long, Double> turnStart = new LinkedHashMap<>();
        List<Double> bargeIns = new ArrayList<>();
        List<RecordingEvent> turnEvents = new ArrayList<>();
        double last = 0;
        for (RecordingEvent e : r.events()) {
            double at = r.audioOffset(e).toNanos() / 1e9;
            last = Math.max(last, at);
            if (e.type().isMessage()) {
                lines.add(new Line(at, e));
            }
            if (e.type() == EventType.USER_MESSAGE && e.turnId() != null) {
                turnStart.putIfAbsent(e.turnId(), at);
            }
            if (e.type() == EventType.INTERRUPTION) {
                bargeIns.add(at);
            }
            if (e.type() == EventType.TURN && e.latenciesMs() != null) {
                turnEvents.add(e);
            }
        }
        lines.sort((a, b) -> Double.compare(a.at, b.at));
        List<Turn> turns = new ArrayList<>();
        for (RecordingEvent e : turnEvents) {
            double at = e.turnId() == null ? r.audioOffset(e).toNanos() / 1e9
                    : turnStart.getOrDefault(e.turnId(), r.audioOffset(e).toNanos() / 1e9);
            turns.add(new Turn(e.turnId() == null ? turns.size() + 1 : e.turnId(), at, e.latenciesMs()));
        }
        if (audio.isEmpty() || audio.get().frames() == 0) {
            double secs = Math.max(last + 1, r.duration().toMillis() / 1000.0);
            List<Span> u = new ArrayList<>();
            List<Span> a = new ArrayList<>();
            for (Line l : lines) {
                if (l.event.type() == EventType.USER_MESSAGE) {
                    u.add(new Span(l.at, l.at + 0.5));
                } else if (l.event.type() == EventType.BOT_RESPONSE) {
                    a.add(new Span(l.at, l.at + 0.5));
                }
            }
            return new CallReport(secs, new float[2][COLUMNS], u, a, bargeIns, turns, lines, false);
        }
        return scan(audio.get(), bargeIns, turns, lines);
    }

    private static CallReport scan(AudioTrack t, List<Double> bargeIns, List<Turn> turns, List<Line> lines) {
        long frames = t.frames();
        int rate = t.sampleRate();
        float[][] peaks = new float[2][COLUMNS];
        int block = Math.max(1, rate / 50);
        short[] buf = new short[2 * block];
        SpanBuilder u = new SpanBuilder();
        SpanBuilder a = new SpanBuilder();
        double threshold = SPEECH_RMS * SPEECH_RMS;
        long pos = 0;
        int n;
        while ((n = t.read(pos, buf, block)) > 0) {
            double l = 0;
            double rr = 0;
            for (int i = 0; i < n; i++) {
                short ls = buf[2 * i];
                short rs = buf[2 * i + 1];
                l += (double) ls * ls;
                rr += (double) rs * rs;
                int col = (int) Math.min(COLUMNS - 1, (pos + i) * COLUMNS / frames);
                peaks[0][col] = Math.max(peaks[0][col], Math.abs(ls) / 32768f);
                peaks[1][col] = Math.max(peaks[1][col], Math.abs(rs) / 32768f);
            }
            double at = (double) pos / rate;
            double end = (double) (pos + n) / rate;
            u.add(l / n > threshold, at, end);
            a.add(rr / n > threshold, at, end);
            pos += n;
        }
        float loudest = 0;
        for (float[] ch : peaks) {
            for (float v : ch) {
                loudest = Math.max(loudest, v);
            }
        }
        // Both channels share one gain, so a quiet recording still shows its shape and the sides stay comparable.
        if (loudest > 0) {
            for (float[] ch : peaks) {
                for (int i = 0; i < ch.length; i++) {
                    ch[i] /= loudest;
                }
            }
        }
        return new CallReport((double) frames / rate, peaks, u.done(), a.done(), bargeIns, turns, lines, true);
    }

    /** Joins speech blocks into stretches, bridging short pauses and dropping clicks. */
    private static final class SpanBuilder {
        private final List<Span> spans = new ArrayList<>();
        private double start = -1;
        private double end = -1;

        void add(boolean speech, double from, double to) {
            if (!speech) {
                return;
            }
            if (start >= 0 && from - end <= MERGE_GAP_S) {
                end = to;
                return;
            }
            flush();
            start = from;
            end = to;
        }

        private void flush() {
            if (start >= 0 && end - start >= MIN_SPEECH_S) {
                spans.add(new Span(start, end));
            }
            start = -1;
        }

        List<Span> done() {
            flush();
            return spans;
        }
    }

    private static List<Span> intersect(List<Span> a, List<Span> b) {
        List<Span> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            double s = Math.max(a.get(i).start, b.get(j).start);
            double e = Math.min(a.get(i).end, b.get(j).end);
            if (e > s) {
                out.add(new Span(s, e));
            }
            if (a.get(i).end < b.get(j).end) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    /** The largest latency of any turn, for scaling bars (at least 1 ms). */
    long maxLatencyMs() {
        long max = 1;
        for (Turn t : turns) {
            for (String k : LATENCIES.keySet()) {
                Long v = t.latenciesMs.get(k);
                if (v != null) {
                    max = Math.max(max, v);
                }
            }
        }
        return max;
    }

    /** Total speech of a list of spans, in seconds. */
    static double total(List<Span> spans) {
        double s = 0;
        for (Span x : spans) {
            s += x.end - x.start;
        }
        return s;
    }

    private static Map<String, String> latencyLabels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("end_of_turn", "end of turn");
        m.put("stt_final", "recognizer");
        m.put("agent_first_text", "agent");
        m.put("tts_first_audio", "first audio (TTS)");
        m.put("user_to_agent_audio", "user \u2192 agent audio");
        return java.util.Collections.unmodifiableMap(m);
    }
}
