package io.parley.session;

import java.time.Duration;
import java.util.UUID;

/**
 * Everything tunable about a session's behaviour, validated on construction. Build one with
 * {@link #builder()}; defaults follow what LiveKit and Pipecat users are used to.
 *
 * @param sessionId                id for logs, traces and recordings [random UUID]
 * @param timeout                  inactivity after which the session ends [30 min]
 * @param awayTimeout              user silence, while the agent is idle, after which the state is AWAY [15 s]
 * @param autoStart                start as soon as built [false]
 * @param keepAlive                ask providers to keep connections alive while no audio flows [true]
 * @param keepAliveInterval        how often [5 s]
 * @param maxRetries               retries of a failed provider call after the first attempt [3]
 * @param retryDelay               first retry delay, doubled on each further retry [1 s]
 * @param interruptions            whether the user may barge in on the agent [true]
 * @param interruptionMinWords     recognised words needed to interrupt, 0 = none required [0]
 * @param interruptionMinDuration  speech needed to interrupt [500 ms]
 * @param falseInterruptionTimeout how long paused playback waits for words before resuming;
 *                                 while the recognizer has not yet published the speech that paused
 *                                 it ({@code SttStream.publishedNanos()}), up to {@code endpointingMaxDelay}
 *                                 more; zero disables pausing and resuming [2 s]
 * @param endpointingMinDelay      least silence before a turn is committed, whatever the turn detector
 *                                 says; within these bounds the detector's confidence decides, and a
 *                                 session without a detector waits a fixed 500 ms (never less than
 *                                 this). With a VAD, the wait is silence heard in the user's audio,
 *                                 not only time on the clock: see {@code inputStallTimeout} [200 ms]
 * @param endpointingMaxDelay      most silence before a turn is committed. With a recognizer that times its
 *                                 words, the detector's wait grows by how far the recognizer runs behind the
 *                                 audio beyond 100 ms (the least time, over the turn's latest 5 results,
 *                                 between a result's last word being spoken and the result arriving), since
 *                                 the words of the pause reach the detector that much later; each new result
 *                                 judges again, and the wait never exceeds this bound. Without word timings
 *                                 nothing is added. With a stream that says how far its results reach
 *                                 ({@code SttStream.publishedNanos()}, as the offline recognizers do), the
 *                                 turn also waits, up to this bound after the end of speech, until they
 *                                 reach within 400 ms of the wait's end, so a recognizer that stalls in the
 *                                 pause is not judged on words that stop short of it [3 s]
 * @param preemptiveGeneration     start the agent on the transcript at end of speech [false]
 * @param preemptiveStrategy       what to do with that reply once the final transcript arrives [USE_IF_SIMILAR]
 * @param similarityThreshold      word overlap needed by USE_IF_SIMILAR, 0..1 [0.8]
 * @param maxUtteranceDuration     continuous speech after which recognition is forced to a final chunk [30 s]
 * @param prefixPadding            audio before detected speech onset also sent to recognition [500 ms]
 * @param sttFinalTimeout          how long to wait for the final transcript after finalizing; a turn whose
 *                                 latest interim arrived after the end of speech is answered from that
 *                                 interim once it has stopped changing for 250 ms, or, if its latest change
 *                                 came x after the end of speech, for x (a recognizer behind the audio is
 *                                 still adding the last words), and the late final is then only reported
 *                                 as a transcript. With a stream that says how far its results reach
 *                                 ({@code SttStream.publishedNanos()}), the interim answers only once they
 *                                 reach 200 ms past the end of speech (or the end of turn, if sooner). The
 *                                 final that answers is a speech-final result that reaches the end of the
 *                                 turn's speech ({@code Transcript.audioEndNanos()}); finals the recognizer
 *                                 closed at earlier pauses of the turn join it. Recognizers that say neither
 *                                 have the first speech-final result answer [2 s]
 * @param speakTextReplies         whether replies to {@code sendText} are also spoken [true]
 * @param playoutLead              how far ahead of real time audio is handed to the transport [100 ms]
 * @param breakerFailureThreshold  consecutive failed calls that open a provider's circuit breaker [5]
 * @param breakerOpenDuration      how long an open breaker waits before trying the provider again [30 s]
 * @param language                 BCP-47 language hint for recognition, empty for the provider's default [""]
 * @param disconnectGrace          how long a disconnected transport may take to reconnect before the
 *                                 session ends; zero ends it at once [10 s]
 * @param ttsCompletionTimeout     how long a speech whose text is complete may go without the
 *                                 synthesizer delivering audio or completing, and without the
 *                                 transport playing anything, before it ends as played so far with
 *                                 {@link ErrorCode#TIMEOUT} [5 s]
 * @param inputStallTimeout        how long the user's audio may stop arriving while the VAD hears speech
 *                                 before the end of the last audio is taken as the end of speech (a peer
 *                                 that dropped mid-word, a host whose input ended, a push-to-talk button
 *                                 released), so the turn is still answered; hosts that deliver audio in
 *                                 chunks longer than this must raise it; zero never ends speech that way.
 *                                 It also bounds how long the end-of-turn wait waits for late audio: once
 *                                 the wait has passed on the clock, the turn ends only when the audio
 *                                 heard since the voice stopped holds that much silence (the time since
 *                                 the latest delivery counting up to that delivery's length), when no
 *                                 audio has come for this long, or when the wait has run this much over
 *                                 on the clock since the end of speech was heard; zero counts the wait on
 *                                 the clock alone [1 s]
 */
public record SessionConfig(
        String sessionId,
        Duration timeout,
        Duration awayTimeout,
        boolean autoStart,
        boolean keepAlive,
        Duration keepAliveInterval,
        int maxRetries,
        Duration retryDelay,
        boolean interruptions,
        int interruptionMinWords,
        Duration interruptionMinDuration,
        Duration falseInterruptionTimeout,
        Duration endpointingMinDelay,
        Duration endpointingMaxDelay,
        boolean preemptiveGeneration,
        PreemptiveStrategy preemptiveStrategy,
        double similarityThreshold,
        Duration maxUtteranceDuration,
        Duration prefixPadding,
        Duration sttFinalTimeout,
        boolean speakTextReplies,
        Duration playoutLead,
        int breakerFailureThreshold,
        Duration breakerOpenDuration,
        String language,
        Duration disconnectGrace,
        Duration ttsCompletionTimeout,
        Duration inputStallTimeout) {

    public SessionConfig {
        if (sessionId == null || sessionId.isBlank()) {
            sessionId = UUID.randomUUID().toString();
        }
        positive("timeout", timeout);
        positive("awayTimeout", awayTimeout);
        positive("keepAliveInterval", keepAliveInterval);
        if (maxRetries < 0 || maxRetries > 100) {
            throw invalid("maxRetries", maxRetries, "must be within 0..100");
        }
        positive("retryDelay", retryDelay);
        if (interruptionMinWords < 0) {
            throw invalid("interruptionMinWords", interruptionMinWords, "must not be negative");
        }
        notNegative("interruptionMinDuration", interruptionMinDuration);
        notNegative("falseInterruptionTimeout", falseInterruptionTimeout);
        notNegative("endpointingMinDelay", endpointingMinDelay);
        positive("endpointingMaxDelay", endpointingMaxDelay);
        if (endpointingMaxDelay.compareTo(endpointingMinDelay) < 0) {
            throw invalid("endpointingMaxDelay", endpointingMaxDelay, "must not be less than endpointingMinDelay " + endpointingMinDelay);
        }
        if (preemptiveStrategy == null) {
            throw invalid("preemptiveStrategy", null, "must not be null");
        }
        if (!(similarityThreshold >= 0 && similarityThreshold <= 1)) {
            throw invalid("similarityThreshold", similarityThreshold, "must be within 0..1");
        }
        positive("maxUtteranceDuration", maxUtteranceDuration);
        notNegative("prefixPadding", prefixPadding);
        if (prefixPadding.compareTo(Duration.ofSeconds(5)) > 0) {
            throw invalid("prefixPadding", prefixPadding, "must not exceed 5 s");
        }
        positive("sttFinalTimeout", sttFinalTimeout);
        positive("playoutLead", playoutLead);
        if (breakerFailureThreshold < 1) {
            throw invalid("breakerFailureThreshold", breakerFailureThreshold, "must be at least 1");
        }
        positive("breakerOpenDuration", breakerOpenDuration);
        if (language == null) {
            throw invalid("language", null, "must not be null (use \"\" for the provider default)");
        }
        notNegative("disconnectGrace", disconnectGrace);
        positive("ttsCompletionTimeout", ttsCompletionTimeout);
        notNegative("inputStallTimeout", inputStallTimeout);
    }

    /** The defaults. */
    public static SessionConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sessionId = sessionId;
        b.timeout = timeout;
        b.awayTimeout = awayTimeout;
        b.autoStart = autoStart;
        b.keepAlive = keepAlive;
        b.keepAliveInterval = keepAliveInterval;
        b.maxRetries = maxRetries;
        b.retryDelay = retryDelay;
        b.interruptions = interruptions;
        b.interruptionMinWords = interruptionMinWords;
        b.interruptionMinDuration = interruptionMinDuration;
        b.falseInterruptionTimeout = falseInterruptionTimeout;
        b.endpointingMinDelay = endpointingMinDelay;
        b.endpointingMaxDelay = endpointingMaxDelay;
        b.preemptiveGeneration = preemptiveGeneration;
        b.preemptiveStrategy = preemptiveStrategy;
        b.similarityThreshold = similarityThreshold;
        b.maxUtteranceDuration = maxUtteranceDuration;
        b.prefixPadding = prefixPadding;
        b.sttFinalTimeout = sttFinalTimeout;
        b.speakTextReplies = speakTextReplies;
        b.playoutLead = playoutLead;
        b.breakerFailureThreshold = breakerFailureThreshold;
        b.breakerOpenDuration = breakerOpenDuration;
        b.language = language;
        b.disconnectGrace = disconnectGrace;
        b.ttsCompletionTimeout = ttsCompletionTimeout;
        b.inputStallTimeout = inputStallTimeout;
        return b;
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw invalid(field, d, "must be positive");
        }
    }

    private static void notNegative(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw invalid(field, d, "must not be negative");
        }
    }

    private static SessionException invalid(String field, Object value, String rule) {
        return new SessionException(ErrorCode.INVALID_CONFIG, field + " " + rule + ", was " + value);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private String sessionId;
        private Duration timeout = Duration.ofMinutes(30);
        private Duration awayTimeout = Duration.ofSeconds(15);
        private boolean autoStart;
        private boolean keepAlive = true;
        private Duration keepAliveInterval = Duration.ofSeconds(5);
        private int maxRetries = 3;
        private Duration retryDelay = Duration.ofSeconds(1);
        private boolean interruptions = true;
        private int interruptionMinWords;
        private Duration interruptionMinDuration = Duration.ofMillis(500);
        private Duration falseInterruptionTimeout = Duration.ofSeconds(2);
        private Duration endpointingMinDelay = Duration.ofMillis(200);
        private Duration endpointingMaxDelay = Duration.ofSeconds(3);
        private boolean preemptiveGeneration;
        private PreemptiveStrategy preemptiveStrategy = PreemptiveStrategy.USE_IF_SIMILAR;
        private double similarityThreshold = 0.8;
        private Duration maxUtteranceDuration = Duration.ofSeconds(30);
        private Duration prefixPadding = Duration.ofMillis(500);
        private Duration sttFinalTimeout = Duration.ofSeconds(2);
        private boolean speakTextReplies = true;
        private Duration playoutLead = Duration.ofMillis(100);
        private int breakerFailureThreshold = 5;
        private Duration breakerOpenDuration = Duration.ofSeconds(30);
        private String language = "";
        private Duration disconnectGrace = Duration.ofSeconds(10);
        private Duration ttsCompletionTimeout = Duration.ofSeconds(5);
        private Duration inputStallTimeout = Duration.ofSeconds(1);

        private Builder() {
        }

        private static <T> T arg(T v, String name) {
            if (v == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return v;
        }

        public Builder sessionId(String v) { sessionId = arg(v, "sessionId"); return this; }
        public Builder timeout(Duration v) { timeout = arg(v, "timeout"); return this; }
        public Builder awayTimeout(Duration v) { awayTimeout = arg(v, "awayTimeout"); return this; }
        public Builder autoStart(boolean v) { autoStart = v; return this; }
        public Builder keepAlive(boolean v) { keepAlive = v; return this; }
        public Builder keepAliveInterval(Duration v) { keepAliveInterval = arg(v, "keepAliveInterval"); return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder retryDelay(Duration v) { retryDelay = arg(v, "retryDelay"); return this; }
        public Builder interruptions(boolean v) { interruptions = v; return this; }
        public Builder interruptionMinWords(int v) { interruptionMinWords = v; return this; }
        public Builder interruptionMinDuration(Duration v) { interruptionMinDuration = arg(v, "interruptionMinDuration"); return this; }
        public Builder falseInterruptionTimeout(Duration v) { falseInterruptionTimeout = arg(v, "falseInterruptionTimeout"); return this; }
        public Builder endpointingMinDelay(Duration v) { endpointingMinDelay = arg(v, "endpointingMinDelay"); return this; }
        public Builder endpointingMaxDelay(Duration v) { endpointingMaxDelay = arg(v, "endpointingMaxDelay"); return this; }
        public Builder preemptiveGeneration(boolean v) { preemptiveGeneration = v; return this; }
        public Builder preemptiveStrategy(PreemptiveStrategy v) { preemptiveStrategy = arg(v, "preemptiveStrategy"); return this; }
        public Builder similarityThreshold(double v) { similarityThreshold = v; return this; }
        public Builder maxUtteranceDuration(Duration v) { maxUtteranceDuration = arg(v, "maxUtteranceDuration"); return this; }
        public Builder prefixPadding(Duration v) { prefixPadding = arg(v, "prefixPadding"); return this; }
        public Builder sttFinalTimeout(Duration v) { sttFinalTimeout = arg(v, "sttFinalTimeout"); return this; }
        public Builder speakTextReplies(boolean v) { speakTextReplies = v; return this; }
        public Builder playoutLead(Duration v) { playoutLead = arg(v, "playoutLead"); return this; }
        public Builder breakerFailureThreshold(int v) { breakerFailureThreshold = v; return this; }
        public Builder breakerOpenDuration(Duration v) { breakerOpenDuration = arg(v, "breakerOpenDuration"); return this; }
        public Builder language(String v) { language = arg(v, "language"); return this; }
        public Builder disconnectGrace(Duration v) { disconnectGrace = arg(v, "disconnectGrace"); return this; }
        public Builder ttsCompletionTimeout(Duration v) { ttsCompletionTimeout = arg(v, "ttsCompletionTimeout"); return this; }
        public Builder inputStallTimeout(Duration v) { inputStallTimeout = arg(v, "inputStallTimeout"); return this; }

        /**
         * Validates and builds.
         *
         * @throws SessionException with {@link ErrorCode#INVALID_CONFIG} naming the offending field
         */
        public SessionConfig build() {
            return new SessionConfig(sessionId, timeout, awayTimeout, autoStart, keepAlive, keepAliveInterval,
                    maxRetries, retryDelay, interruptions, interruptionMinWords, interruptionMinDuration,
                    falseInterruptionTimeout, endpointingMinDelay, endpointingMaxDelay, preemptiveGeneration,
                    preemptiveStrategy, similarityThreshold, maxUtteranceDuration, prefixPadding, sttFinalTimeout,
                    speakTextReplies, playoutLead, breakerFailureThreshold, breakerOpenDuration, language,
                    disconnectGrace, ttsCompletionTimeout, inputStallTimeout);
        }
    }
}
