package io.parley.recording.analysis;

import io.parley.recording.EventType;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.privacy.ConsentRegistry;
import io.parley.recording.privacy.ConsentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes {@link SessionStats} and {@link ConversationAnalysis} of recordings. Talk time comes
 * from the audio (20 ms blocks above an RMS level), latencies from the turn events, confidence
 * from the user messages. With a {@link ConsentRegistry}, analysing a user's recording requires
 * their {@link ConsentType#ANALYTICS} consent.
 */
public final class SessionAnalyzer {

    private static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}\\p{Nd}'-]{2,}");
    private static final Pattern REDACTED = Pattern.compile("\\[REDACTED:[a-z0-9_]+]");
    private static final Set<String> STOP = Set.of(
            "the", "and", "for", "are", "but", "not", "you", "your", "all", "any", "can", "had", "her", "was", "one",
            "our", "out", "has", "have", "his", "how", "its", "may", "new", "now", "see", "two", "who", "did", "get",
            "him", "let", "say", "she", "too", "use", "that", "this", "with", "from", "they", "will", "would", "there",
            "their", "what", "about", "which", "when", "make", "like", "time", "just", "know", "take", "into", "year",
            "some", "could", "them", "than", "then", "look", "only", "come", "over", "think", "also", "back", "after",
            "work", "first", "well", "even", "want", "because", "these", "give", "most", "here", "show", "please",
            "yes", "yeah", "okay", "sure", "thanks", "thank", "hello", "does", "been", "were", "being", "very", "much",
            "more", "should", "where", "why", "each", "other", "such", "it's", "i'm", "don't", "can't", "that's",
            "recording", "started", "stopped", "paused", "resumed");

    private final ConsentRegistry consents;
    private final Duration window;
    private final int topicCount;
    private final double speechLevel;
    private final double lowConfidence;

    private SessionAnalyzer(Builder b) {
        this.consents = b.consents;
        this.window = b.window;
        this.topicCount = b.topicCount;
        this.speechLevel = b.speechLevel;
        this.lowConfidence = b.lowConfidence;
    }

    /** An analyzer with defaults: 15 minute windows, 5 topics, speech above RMS 300, low confidence below 0.6, no consent checks. */
    public static SessionAnalyzer create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Message statistics. */
    public SessionStats stats(Recording r) {
        checkConsent(r);
        List<RecordingEvent> msgs = r.messages().stream().filter(e -> e.type() != EventType.SYSTEM_MESSAGE).toList();
        Map<String, Long> perAuthor = new HashMap<>();
        Map<String, Long> commands = new HashMap<>();
        for (RecordingEvent e : msgs) {
            perAuthor.merge(e.author(), 1L, Long::sum);
            String c = e.content().strip();
            if ((c.startsWith("!") || c.startsWith("/")) && c.length() > 1) {
                commands.merge(c.split("\\s+", 2)[0].toLowerCase(Locale.ROOT), 1L, Long::sum);
            }
        }
        return new SessionStats(r.duration(), msgs.size(), sortedByCount(perAuthor), sortedByCount(commands),
                mostActive(r, msgs), longestGap(msgs), topics(msgs));
    }

    /** Conversation analysis. */
    public ConversationAnalysis analyze(Recording r) {
        checkConsent(r);
        long[] talk = r.audio().map(this::talk).orElse(new long[4]);
        int rate = r.audio().map(AudioTrack::sampleRate).orElse(1);
        Duration user = frames(talk[0], rate);
        Duration agent = frames(talk[1], rate);
        double total = talk[0] + talk[1];
        List<RecordingEvent> ev = r.events();
        int turns = (int) ev.stream().filter(e -> e.type() == EventType.USER_MESSAGE).count();
        int interruptions = (int) ev.stream().filter(e -> e.type() == EventType.INTERRUPTION).count();
        List<Duration> latencies = new ArrayList<>();
        for (RecordingEvent e : ev) {
            if (e.type() == EventType.TURN && e.latenciesMs() != null && e.latenciesMs().containsKey("user_to_agent_audio")) {
                latencies.add(Duration.ofMillis(e.latenciesMs().get("user_to_agent_audio")));
            }
        }
        double[] conf = ev.stream().filter(e -> e.type() == EventType.USER_MESSAGE && e.confidence() != null)
                .mapToDouble(RecordingEvent::confidence).toArray();
        OptionalDouble mean = conf.length == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(java.util.Arrays.stream(conf).average().orElseThrow());
        OptionalDouble min = java.util.Arrays.stream(conf).min();
        int low = (int) java.util.Arrays.stream(conf).filter(c -> c < lowConfidence).count();
        return new ConversationAnalysis(user, agent, frames(talk[2], rate), frames(talk[3], rate),
                total == 0 ? Double.NaN : talk[0] / total, turns, interruptions, LatencyStats.of(latencies), mean, min, low);
    }

    /** Frames of user talk, agent talk, both, neither. */
    private long[] talk(AudioTrack track) {
        int block = Math.max(1, track.sampleRate() / 50);
        short[] buf = new short[2 * block];
        long[] out = new long[4];
        long pos = 0;
        int n;
        double threshold = speechLevel * speechLevel;
        while ((n = track.read(pos, buf, block)) > 0) {
            double l = 0;
            double rr = 0;
            for (int i = 0; i < n; i++) {
                l += (double) buf[2 * i] * buf[2 * i];
                rr += (double) buf[2 * i + 1] * buf[2 * i + 1];
            }
            boolean u = l / n > threshold;
            boolean a = rr / n > threshold;
            if (u && a) {
                out[2] += n;
            } else if (!u && !a) {
                out[3] += n;
            }
            if (u) {
                out[0] += n;
            }
            if (a) {
                out[1] += n;
            }
            pos += n;
        }
        return out;
    }

    private static Duration frames(long frames, int rate) {
        return Duration.ofNanos(frames * 1_000_000_000L / rate);
    }

    private Optional<SessionStats.Window> mostActive(Recording r, List<RecordingEvent> msgs) {
        if (msgs.isEmpty()) {
            return Optional.empty();
        }
        Instant origin = r.metadata().createdAt();
        Map<Long, Long> buckets = new HashMap<>();
        for (RecordingEvent e : msgs) {
            long idx = Math.floorDiv(Duration.between(origin, e.timestamp()).toNanos(), window.toNanos());
            buckets.merge(idx, 1L, Long::sum);
        }
        Map.Entry<Long, Long> best = buckets.entrySet().stream()
                .max(Comparator.comparing(Map.Entry<Long, Long>::getValue).thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow();
        Instant start = origin.plus(window.multipliedBy(best.getKey()));
        return Optional.of(new SessionStats.Window(start, start.plus(window), best.getValue()));
    }

    private static Optional<SessionStats.Gap> longestGap(List<RecordingEvent> msgs) {
        SessionStats.Gap best = null;
        for (int i = 1; i < msgs.size(); i++) {
            Duration d = Duration.between(msgs.get(i - 1).timestamp(), msgs.get(i).timestamp());
            if (best == null || d.compareTo(best.length()) > 0) {
                best = new SessionStats.Gap(msgs.get(i - 1).timestamp(), msgs.get(i).timestamp(), d);
            }
        }
        return Optional.ofNullable(best);
    }

    private List<String> topics(List<RecordingEvent> msgs) {
        Map<String, Long> counts = new HashMap<>();
        for (RecordingEvent e : msgs) {
            String text = REDACTED.matcher(e.content()).replaceAll(" ");
            if (text.startsWith("!") || text.startsWith("/")) {
                text = text.contains(" ") ? text.substring(text.indexOf(' ')) : "";
            }
            Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
            while (m.find()) {
                String w = m.group();
                if (!STOP.contains(w)) {
                    counts.merge(w, 1L, Long::sum);
                }
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(topicCount).map(Map.Entry::getKey).toList();
    }

    private static Map<String, Long> sortedByCount(Map<String, Long> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return java.util.Collections.unmodifiableMap(out);
    }

    private void checkConsent(Recording r) {
        if (consents != null && !consents.has(r.metadata().userId(), ConsentType.ANALYTICS)) {
            throw new RecordingException(Problem.NO_CONSENT, "user '" + r.metadata().userId()
                    + "' has not consented to analytics of recording '" + r.name() + "'");
        }
    }

    /** Options for a {@link SessionAnalyzer}. */
    public static final class Builder {
        /** Refuses null with an IllegalArgumentException naming the parameter, as every Parley builder does. */
        private static <T> T arg(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private ConsentRegistry consents;
        private Duration window = Duration.ofMinutes(15);
        private int topicCount = 5;
        private double speechLevel = 300;
        private double lowConfidence = 0.6;

        private Builder() {
        }

        /** Require ANALYTICS consent from this registry [no checks]. */
        public Builder consents(ConsentRegistry v) {
            consents = arg(v, "consents");
            return this;
        }

        /** Length of the "most active" window [15 min]. */
        public Builder activeWindow(Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("active window must be positive, was " + v);
            }
            window = v;
            return this;
        }

        /** How many topics to report [5]. */
        public Builder topics(int v) {
            if (v < 0 || v > 100) {
                throw new IllegalArgumentException("topics must be within 0..100, was " + v);
            }
            topicCount = v;
            return this;
        }

        /** RMS level (of 32767) above which a 20 ms block counts as speech [300]. */
        public Builder speechLevel(double v) {
            if (!(v > 0 && v < 32767)) {
                throw new IllegalArgumentException("speech level must be within (0, 32767), was " + v);
            }
            speechLevel = v;
            return this;
        }

        /** Confidence below which a user message counts as poorly recognised [0.6]. */
        public Builder lowConfidence(double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("low confidence must be within 0..1, was " + v);
            }
            lowConfidence = v;
            return this;
        }

        public SessionAnalyzer build() {
            return new SessionAnalyzer(this);
        }
    }
}
