package io.parley.testing;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.session.TurnCommit;
import io.parley.testing.Violation.Invariant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The word invariants of one chaos session ({@link Invariant#WORD_LOST},
 * {@link Invariant#WORD_REPEATED}, {@link Invariant#WORDS_SPLIT}): where each numbered word of
 * the chaos recognizer was spoken, which final results reported it and which committed turn
 * took it. The recognizer's streams record what they heard; {@link SessionProbe} records what the
 * session reported, from its listener callbacks, and asks for the check once the session settled.
 * Its own lock, taken inside the probe's: calls that may report a violation ({@link #committed},
 * {@link #check}) come under the probe's lock, because a report reads the probe's recent events;
 * the recognizer's calls, which never report, take only this one.
 */
final class WordLedger {

    /** How far a recognizer stream says its results reach. */
    enum Timings {
        /** Not at all. */
        NONE,
        /** Each result's {@link io.parley.spi.Transcript#audioEndNanos()}. */
        AUDIO_ENDS,
        /** Those, and how far the stream has published ({@link io.parley.spi.SttStream#publishedNanos()}). */
        PUBLISHED
    }

    /** Where the ledger reports: the probe's violations, and its recent events for context. */
    interface Findings {
        void violation(Invariant invariant, String detail);

        /** The session's recent events and notes, for a violation's detail. */
        String context();
    }

    /** The words of the finals a stream gave up to and with its answer to one finalize, in order. */
    private record Utterance(List<String> words, Timings timings) {
    }

    /** The chaos recognizer's words are this and a number, unique in the run. */
    static final String WORD = "word";
    /** Audio delivered this much later than it was captured came in a burst, from a feeder starved of CPU. */
    private static final long BURST_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long after audio that came in a burst the session may still be catching up on it. */
    private static final long AFTER_BURST_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ScaledClock clock;
    private final Findings findings;
    /** Each recognized word's first committed turn, and each committed turn's text. */
    private final Map<String, Long> committedWords = new HashMap<>();
    private final Map<Long, String> committedTexts = new HashMap<>();
    private final Set<Long> finalTimedOut = new HashSet<>();
    private final Set<Long> answeredFromInterim = new HashSet<>();
    /** Each word the session reported in a final result, with the turn it reported it with (the first time). */
    private final Map<String, Long> reportedWords = new HashMap<>();
    private final List<Utterance> utterances = new ArrayList<>();
    /** Where in the captured audio each recognized word ends, and each spoken committed turn's speech, on the sessions' clock. */
    private final Map<String, Long> wordEnds = new HashMap<>();
    private final Map<Long, Long> speechEnds = new HashMap<>();
    /** When each spoken committed turn was committed, and when audio came in a burst, on the sessions' clock. */
    private final Map<Long, Long> commits = new HashMap<>();
    private final List<Long> bursts = new ArrayList<>();
    /** The captured audio each burst delivered, from and to, on the sessions' clock. */
    private final List<long[]> burstAudio = new ArrayList<>();
    /** When a wait for a final transcript timed out (the session's TIMEOUT error), on the sessions' clock. */
    private final List<Long> finalTimeouts = new ArrayList<>();
    private final Set<String> untoldWords = new HashSet<>();
    /** Words numbered up to this were recognized before the session last ended: they may be lost with it. */
    private int wordsBeforeEnd;
    private Duration finalTimeout = Duration.ofDays(1);
    private boolean mayDiscard = true;
    private boolean checks = true;
    private boolean vadDriven;

    WordLedger(ScaledClock clock, Findings findings) {
        this.clock = clock;
        this.findings = findings;
    }

    // ------------------------------------------------------------------ how the session runs

    /** Whether the word invariants are checked [true]; see {@link ChaosHarness.Builder#checkWords(boolean)}. */
    synchronized void checks(boolean on) {
        this.checks = on;
    }

    /**
     * Whether the session may drop the user's words by design: with interruptions on, speech
     * while the agent holds the floor that does not interrupt it (a backchannel, noise) is
     * discarded with its words, which the listener cannot tell from lost ones.
     */
    synchronized void interruptions(boolean on) {
        this.mayDiscard = on;
    }

    /**
     * Whether the session's speech onsets and offsets come from a VAD: only then does a turn's
     * end of speech lie on the audio's timeline (without one it is when results stopped coming).
     */
    synchronized void vadDriven(boolean vad) {
        this.vadDriven = vad;
    }

    /** The session's final-transcript timeout: a turn committed that long after it ended timed out waiting for its final. */
    synchronized void finalTimeout(Duration timeout) {
        this.finalTimeout = timeout;
    }

    // ------------------------------------------------------------------ from the recognizer

    /**
     * A recognizer heard {@code word} in audio captured up to {@code capturedNanos} (the sessions'
     * clock). {@code untold}: the recognizer also ends utterances at pauses but does not say how far
     * its results reach, so the session cannot tell its endpointing finals from the answers to its
     * finalizes (the SPI then takes the first speech-final after a finalize as its answer): the
     * word may then go to the next turn, or come again in it.
     */
    synchronized void wordHeard(String word, long capturedNanos, boolean untold) {
        wordEnds.put(word, capturedNanos);
        if (untold) {
            untoldWords.add(word);
        }
    }

    /**
     * A recognizer stream delivered its answer to a finalize; {@code words} are those of its
     * finals since its previous answer, this one's included: the words of one ended turn's audio.
     */
    synchronized void finalizedWords(List<String> words, Timings timings) {
        utterances.add(new Utterance(List.copyOf(words), timings));
    }

    // ------------------------------------------------------------------ from the probe

    /** Audio came {@code gapNanos} late, up to {@code upToNanos} of captured audio. */
    synchronized void lateAudio(long gapNanos, long upToNanos) {
        if (gapNanos > BURST_NANOS) {
            bursts.add(clock.nanoTime());
            // The audio it delivered, captured since about the previous delivery.
            burstAudio.add(new long[] {upToNanos - gapNanos - BURST_NANOS, upToNanos});
        }
    }

    /** The session ended after the recognizer had numbered {@code wordsSoFar} words. */
    synchronized void sessionEnded(int wordsSoFar) {
        wordsBeforeEnd = wordsSoFar;
    }

    /** The session reported a final result with turn {@code turnId}. */
    synchronized void finalReported(long turnId, String text) {
        for (String w : words(text)) {
            reportedWords.putIfAbsent(w, turnId);
        }
    }

    /** The recognizer's words of a committed turn: each in one turn only, unless carried whole into a later one. */
    synchronized void committed(long turnId, String text) {
        committedTexts.put(turnId, text);
        if (!checks) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String w : words(text)) {
            if (!seen.add(w)) {
                if (!unguarded(w)) {
                    findings.violation(Invariant.WORD_REPEATED, w + " is twice in turn " + turnId + " \"" + SessionProbe.abbreviate(text)
                            + "\" " + findings.context());
                }
                continue;
            }
            Long earlier = committedWords.put(w, turnId);
            if (earlier != null && !text.contains(committedTexts.get(earlier)) && !unguarded(w)) {
                findings.violation(Invariant.WORD_REPEATED, w + " is in turn " + earlier + " \""
                        + SessionProbe.abbreviate(committedTexts.get(earlier)) + "\" and again in turn " + turnId + " \"" + SessionProbe.abbreviate(text)
                        + "\" " + findings.context());
            }
            // Else the earlier turn was carried whole into this one (its reply cut unheard): its words are this turn's now.
        }
    }

    /** How the session committed a turn: from its interim or not, how long it waited, where its speech ended. */
    synchronized void turnCommitted(TurnCommit turn) {
        if (turn.interimFallback()) {
            answeredFromInterim.add(turn.turnId());
        }
        if (turn.transcriptDelay() != null && turn.transcriptDelay().compareTo(finalTimeout) >= 0) {
            finalTimedOut.add(turn.turnId());
        }
        if (vadDriven && turn.endOfTurnDelay() != null && turn.transcriptDelay() != null) {
            // On the clock's timeline, exactly: reading nanoTime() and now() in turn put the commit
            // early by the time between the two readings, before a burst recorded just ahead of it.
            long committedAt = clock.nanosAt(turn.at());
            speechEnds.put(turn.turnId(), committedAt - turn.transcriptDelay().toNanos() - turn.endOfTurnDelay().toNanos());
            commits.put(turn.turnId(), committedAt);
        }
    }

    /** The session reported an error; a wait for a final transcript that timed out excuses the words spoken before it. */
    synchronized void error(SessionException error) {
        if (error.code() == ErrorCode.TIMEOUT && String.valueOf(error.getMessage()).contains("no final transcript")) {
            finalTimeouts.add(clock.nanoTime());
        }
    }

    // ------------------------------------------------------------------ the check

    /**
     * Checks the words of every committed turn: none lost, and the words of one utterance in one
     * turn unless its wait for the final timed out (repeats are found as turns commit). Run once
     * the session settled; {@code input} says how its audio was delivered.
     */
    synchronized void check(String input) {
        if (!checks) {
            return;
        }
        Map<Long, List<String>> lost = new TreeMap<>();
        for (Map.Entry<String, Long> e : reportedWords.entrySet()) {
            String w = e.getKey();
            if (!mayDiscard && committedTexts.containsKey(e.getValue()) && !committedWords.containsKey(w)
                    && number(w) > wordsBeforeEnd && !unguarded(w)) {
                lost.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(w);
            }
        }
        lost.forEach((turn, ws) -> {
            ws.sort(Comparator.comparingInt(WordLedger::number));
            findings.violation(Invariant.WORD_LOST, ws + " were reported in final results with turn " + turn + ", committed \""
                    + committedTexts.get(turn) + "\", but are in no committed turn " + findings.context() + " " + input);
        });
        for (Utterance u : utterances) {
            if (u.timings() != Timings.NONE) {
                checkSplit(u, input);
            }
        }
    }

    /** Whether words of one utterance, spoken before a turn's speech ended, went to a later turn. */
    private void checkSplit(Utterance u, String input) {
        TreeMap<Long, List<String>> byTurn = new TreeMap<>();
        for (String w : u.words()) {
            Long turn = committedWords.get(w);
            if (turn != null) {
                byTurn.computeIfAbsent(turn, k -> new ArrayList<>()).add(w);
            }
        }
        if (byTurn.size() < 2) {
            return;
        }
        for (long turn : byTurn.headMap(byTurn.lastKey()).keySet()) {
            Long speechEnd = speechEnds.get(turn);
            boolean excused = speechEnd == null || finalTimedOut.contains(turn)
                    || u.timings() == Timings.AUDIO_ENDS && answeredFromInterim.contains(turn)
                    || burstDuring(u.words(), commits.get(turn));
            if (excused) {
                continue;
            }
            // Words the user went on to say before the turn ended are the next turn's; words said before its speech ended are its own.
            List<String> before = new ArrayList<>();
            for (List<String> later : byTurn.tailMap(turn, false).values()) {
                for (String w : later) {
                    Long end = wordEnds.get(w);
                    if (end != null && end <= speechEnd) {
                        before.add(w);
                    }
                }
            }
            if (!before.isEmpty()) {
                findings.violation(Invariant.WORDS_SPLIT, before + ", spoken before the speech of turn " + turn + " \""
                        + SessionProbe.abbreviate(committedTexts.get(turn)) + "\" ended (at " + seconds(speechEnd) + ", the words up to "
                        + seconds(wordEnds.get(before.get(before.size() - 1))) + "; answered from "
                        + (answeredFromInterim.contains(turn) ? "its interim" : "a final")
                        + "), went to a later turn (the utterance's words by turn: " + byTurn + ", timings " + u.timings() + ") "
                        + findings.context() + " " + input);
                return;
            }
        }
    }

    /**
     * Whether audio came in a burst (over {@link #BURST_NANOS} late) between the first of
     * {@code words} and the commit at {@code committedNanos}: a feeder starved of CPU, not a pace
     * the turn-coverage rule is checked at (see {@link Invariant#WORDS_SPLIT}).
     */
    private boolean burstDuring(List<String> words, long committedNanos) {
        long first = Long.MAX_VALUE;
        for (String w : words) {
            Long end = wordEnds.get(w);
            if (end != null) {
                first = Math.min(first, end - ChaosStt.WORD_NANOS);
            }
        }
        for (long b : bursts) {
            if (b >= first && b <= committedNanos) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the word guarantees do not hold for {@code word}: it came from a recognizer that
     * does not say how far its results reach but ends utterances itself ({@link #wordHeard}); or
     * its audio, or audio up to {@link #AFTER_BURST_NANOS} before it, came in a burst over
     * {@link #BURST_NANOS} late (a feeder starved of CPU: the 10,000-minute soak's audio comes up to
     * minutes late, and one session of 5,000 whose audio came 287 s late repeated 21 words that the
     * fake's streams had recognized meanwhile); or a wait for a final transcript timed out since it
     * was spoken: a turn then answered from its interim may have taken words of the speech after
     * it, or lacked words its late final brings; the word guarantees hold within the
     * final-transcript timeout.
     */
    private boolean unguarded(String word) {
        if (untoldWords.contains(word)) {
            return true;
        }
        Long spoken = wordEnds.get(word);
        if (spoken != null) {
            for (long[] b : burstAudio) {
                if (spoken >= b[0] && spoken <= b[1] + AFTER_BURST_NANOS) {
                    return true;
                }
            }
        }
        for (long t : finalTimeouts) {
            if (spoken == null || t >= spoken) {
                return true;
            }
        }
        return false;
    }

    /** The recognizer's words in {@code text}, in order. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) {
            if (w.startsWith(WORD)) {
                out.add(w);
            }
        }
        return out;
    }

    private static int number(String word) {
        try {
            return Integer.parseInt(word.substring(WORD.length()));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String seconds(long nanos) {
        return String.format("%.2fs", nanos / 1e9 % 10_000);
    }
}
