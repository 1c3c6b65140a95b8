package io.parley.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Group sessions in virtual time: attribution, wake phrase, floor, agent switch, mixed participants. */
class GroupSessionTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;

    private final VirtualClock clock = new VirtualClock();
    private final Map<String, UserScript> scripts = new HashMap<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<GroupTranscript> transcripts = Collections.synchronizedList(new ArrayList<>());
    private final List<GroupTurn> turns = Collections.synchronizedList(new ArrayList<>());
    private final List<AgentReply> replies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    /** One scripted recognizer per participant, chosen by the stream's session id ("group/participant"). */
    private final SttProvider stt = new SttProvider() {
        private final Map<String, FakeStt> byParticipant = new HashMap<>();

        @Override
        public String name() {
            return "per-participant-fake";
        }

        @Override
        public synchronized SttStream open(SttRequest request, SttListener listener) {
            String who = request.sessionId().substring(request.sessionId().indexOf('/') + 1);
            FakeStt s = byParticipant.computeIfAbsent(who, k -> FakeStt.builder(clock, scripts.get(k)).build());
            return s.open(request, listener);
        }
    };

    private final GroupListener recorder = new GroupListener() {
        @Override
        public void onParticipantJoined(Participant p) {
            events.add("joined " + p.id());
        }

        @Override
        public void onParticipantLeft(Participant p) {
            events.add("left " + p.id());
        }

        @Override
        public void onTranscript(GroupTranscript t) {
            transcripts.add(t);
        }

        @Override
        public void onTurn(GroupTurn turn) {
            turns.add(turn);
        }

        @Override
        public void onAgentReply(AgentReply reply) {
            replies.add(reply);
        }

        @Override
        public void onAgentEnabled(boolean enabled) {
            events.add("agent " + enabled);
        }
    };

    private GroupSession.Builder group() {
        return GroupSession.builder().id("g1").clock(clock).stt(stt).tts(FakeTts.builder(clock).build())
                .vad(new FakeVad(500, Duration.ofMillis(60)))
                .agent((ctx, question) -> {
                    asked.add(question);
                    return "answer to " + question;
                })
                .listener(recorder);
    }

    /** Feeds every voice participant 20 ms frames until {@code untilMillis}: a tone while their script speaks. */
    private void run(Map<Participant, UserScript> voices, long fromMillis, long untilMillis) {
        for (long t = fromMillis; t < untilMillis; t += 20) {
            for (Map.Entry<Participant, UserScript> e : voices.entrySet()) {
                if (e.getKey().present()) {
                    e.getKey().sendAudio(frame(e.getValue(), t));
                }
            }
            clock.advanceTo(Duration.ofMillis(t + 20));
        }
    }

    private static AudioFrame frame(UserScript script, long atMillis) {
        int n = F.samplesFor(20);
        short[] s = new short[n];
        long nanos = Duration.ofMillis(atMillis).toNanos();
        if (script.at(nanos) != null) {
            for (int i = 0; i < n; i++) {
                s[i] = (short) (8000 * Math.sin(2 * Math.PI * 220 * i / F.sampleRate()));
            }
        }
        return new AudioFrame(F, s, nanos);
    }

    @Test
    void attributesTranscriptsAndAnswersOnlyTurnsAddressedWithTheWakePhrase() {
        scripts.put("ann", new UserScript().say(200, 1200, "hey agent what time is it"));
        scripts.put("bob", new UserScript().say(2600, 1000, "I think we should refactor")
                .say(5000, 1200, "Hey, agent: summarise the log"));
        AtomicInteger annAudio = new AtomicInteger();
        AtomicInteger bobAudio = new AtomicInteger();
        GroupSession g = group().wakePhrase("hey agent").build();
        Participant ann = g.join("ann", "Ann", ParticipantKind.VOICE, f -> annAudio.addAndGet(f.length()));
        Participant bob = g.join("bob", "Bob", ParticipantKind.VOICE, f -> bobAudio.addAndGet(f.length()));
        Participant tara = g.join("tara", "Tara", ParticipantKind.TEXT, f -> {
            throw new AssertionError("a text participant gets no audio");
        });
        Map<Participant, UserScript> voices = new HashMap<>();
        voices.put(ann, scripts.get("ann"));
        voices.put(bob, scripts.get("bob"));
        run(voices, 0, 8000);
        tara.sendText("what do you all think");
        tara.sendText("hey agent who are you");
        run(voices, 8000, 12000);

        assertThat(transcripts).filteredOn(GroupTranscript::isFinal)
                .extracting(t -> t.speaker() + ": " + t.text())
                .containsExactly("Ann: hey agent what time is it", "Bob: I think we should refactor",
                        "Bob: Hey, agent: summarise the log");
        assertThat(turns).extracting(t -> t.speaker() + "|" + t.spoken() + "|" + t.addressed() + "|" + t.question())
                .containsExactly("Ann|true|true|what time is it", "Bob|true|false|I think we should refactor",
                        "Bob|true|true|summarise the log", "Tara|false|false|what do you all think",
                        "Tara|false|true|who are you");
        assertThat(turns).extracting(GroupTurn::turnId).doesNotHaveDuplicates().isSorted();
        assertThat(asked).containsExactly("what time is it", "summarise the log", "who are you");
        assertThat(replies).extracting(r -> r.turn().speaker() + ": " + r.text())
                .containsExactly("Ann: answer to what time is it", "Bob: answer to summarise the log",
                        "Tara: answer to who are you");
        assertThat(replies).noneMatch(AgentReply::interrupted);
        // The agent's voice reaches both voice participants, the same amount to each.
        assertThat(annAudio.get()).isPositive().isEqualTo(bobAudio.get());
        assertThat(g.history()).extracting(h -> h.role() + " " + h.text()).startsWith(
                "USER Ann: hey agent what time is it", "AGENT answer to what time is it");
        g.stop();
        assertThat(events).contains("left ann", "left bob", "left tara");
    }

    @Test
    void bareWakePhraseArmsTheSpeakersNextTurnOnly() {
        GroupSession g = group().wakePhrase("hey agent").armWindow(Duration.ofSeconds(5)).build();
        Participant a = g.join("a", "A", ParticipantKind.TEXT, null);
        Participant b = g.join("b", "B", ParticipantKind.TEXT, null);
        a.sendText("Hey agent.");
        b.sendText("not for the agent");
        a.sendText("what is the plan");
        a.sendText("and this is not addressed");
        clock.advance(Duration.ofSeconds(1));
        assertThat(asked).containsExactly("what is the plan");
        a.sendText("hey agent");
        clock.advance(Duration.ofSeconds(6));
        a.sendText("too late");
        clock.advance(Duration.ofSeconds(1));
        assertThat(asked).containsExactly("what is the plan");
    }

    @Test
    void agentSwitchedOffAnswersNothingAndCutsOffTheCurrentAnswer() {
        List<io.parley.session.TextSink> open = new ArrayList<>();
        GroupSession g = group().streamingAgent((ctx, q, sink) -> {
            asked.add(q);
            sink.write("partial ");
            open.add(sink);
        }).build();
        Participant a = g.join("a", "A", ParticipantKind.TEXT, null);
        a.sendText("first question");
        clock.advance(Duration.ofMillis(100));
        g.setAgentEnabled(false);
        clock.advance(Duration.ofMillis(100));
        assertThat(replies).singleElement().satisfies(r -> {
            assertThat(r.interrupted()).isTrue();
            assertThat(r.text()).isEqualTo("partial ");
        });
        a.sendText("second question");
        clock.advance(Duration.ofMillis(100));
        assertThat(asked).containsExactly("first question");
        open.get(0).write("late words");
        open.get(0).complete();
        clock.advance(Duration.ofMillis(100));
        assertThat(replies).hasSize(1);
        g.setAgentEnabled(true);
        a.sendText("third question");
        clock.advance(Duration.ofMillis(100));
        assertThat(asked).containsExactly("first question", "third question");
        assertThat(events).containsSubsequence("agent false", "agent true");
    }

    @Test
    void floorPoliciesDecideWhoIsAnsweredWhileTheAgentIsBusy() {
        for (FloorPolicy policy : FloorPolicy.values()) {
            asked.clear();
            replies.clear();
            List<io.parley.session.TextSink> sinks = new ArrayList<>();
            GroupSession g = group().floorPolicy(policy).streamingAgent((ctx, q, sink) -> {
                asked.add(q);
                sinks.add(sink);
            }).build();
            Participant a = g.join("a", "A", ParticipantKind.TEXT, null);
            Participant b = g.join("b", "B", ParticipantKind.TEXT, null);
            a.sendText("from a");
            b.sendText("from b");
            clock.advance(Duration.ofMillis(50));
            for (int i = 0; i < sinks.size(); i++) {
                sinks.get(i).write("done");
                sinks.get(i).complete();
                clock.advance(Duration.ofMillis(50));
            }
            switch (policy) {
                case QUEUE -> {
                    assertThat(asked).containsExactly("from a", "from b");
                    assertThat(replies).extracting(r -> r.turn().speaker() + r.interrupted()).containsExactly("Afalse", "Bfalse");
                }
                case LATEST -> {
                    assertThat(asked).containsExactly("from a", "from b");
                    assertThat(replies).extracting(r -> r.turn().speaker() + r.interrupted()).containsExactly("Atrue", "Bfalse");
                }
                case HOLD -> {
                    assertThat(asked).containsExactly("from a");
                    assertThat(replies).extracting(r -> r.turn().speaker() + r.interrupted()).containsExactly("Afalse");
                }
                default -> throw new AssertionError(policy);
            }
            g.stop();
        }
    }

    @Test
    void pushToTalkReleaseEndsTheTurnWithoutWaitingForSilence() {
        scripts.put("ann", new UserScript().say(0, 5000, "hey agent this is a long question"));
        GroupSession g = group().wakePhrase("hey agent").build();
        Participant ann = g.join("ann", "Ann", ParticipantKind.VOICE, null);
        run(Map.of(ann, scripts.get("ann")), 0, 3000);
        assertThat(turns).isEmpty();
        ann.endOfSpeech();
        clock.advance(Duration.ofSeconds(2));
        assertThat(turns).singleElement().satisfies(t -> {
            assertThat(t.addressed()).isTrue();
            assertThat(t.question()).startsWith("this is");
        });
    }

    @Test
    void audioHeldBackInAShortPauseDoesNotSplitTheTurn() {
        scripts.put("ann", new UserScript().say(200, 800, "go forward").say(1140, 900, "ten meters"));
        GroupSession g = group().build();
        Participant ann = g.join("ann", "Ann", ParticipantKind.VOICE, null);
        run(Map.of(ann, scripts.get("ann")), 0, 1100);
        // The rest of the 140 ms pause and the next words arrive 900 ms late, all at once.
        clock.advanceTo(Duration.ofMillis(2000));
        for (long t = 1100; t < 2000; t += 20) {
            ann.sendAudio(frame(scripts.get("ann"), t));
        }
        run(Map.of(ann, scripts.get("ann")), 2000, 5000);
        assertThat(turns).extracting(GroupTurn::text).containsExactly("go forward ten meters");
        g.stop();
    }

    @Test
    void aWholeUtteranceInOneCallIsHeardAsSpeechThenSilence() {
        // A client that sends what it recorded in one piece (or audio kept while the
        // participant's recognizer opened): the speech in it starts and ends a turn.
        scripts.put("ann", new UserScript().say(200, 1000, "go forward ten meters"));
        // The scripted recognizer matches audio to the script by frame timestamp, so it is handed
        // the call's audio in 20 ms pieces, as a real recognizer takes any chunk size.
        SttProvider anyChunk = new SttProvider() {
            @Override
            public String name() {
                return "any-chunk";
            }

            @Override
            public SttStream open(SttRequest request, SttListener listener) {
                SttStream inner = stt.open(request, listener);
                return new SttStream() {
                    @Override
                    public void write(AudioFrame frame) {
                        int n = F.samplesFor(20);
                        for (int off = 0; off < frame.length(); off += n) {
                            short[] piece = java.util.Arrays.copyOfRange(frame.samples(), off, Math.min(off + n, frame.length()));
                            inner.write(new AudioFrame(F, piece, frame.timestampNanos() + F.nanosFor(off)));
                        }
                    }

                    @Override
                    public void finalizeUtterance() {
                        inner.finalizeUtterance();
                    }

                    @Override
                    public void close() {
                        inner.close();
                    }
                };
            }
        };
        GroupSession g = group().stt(anyChunk).build();
        Participant ann = g.join("ann", "Ann", ParticipantKind.VOICE, null);
        int perFrame = F.samplesFor(20);
        short[] all = new short[perFrame * 135];
        for (int i = 0; i < 135; i++) {
            System.arraycopy(frame(scripts.get("ann"), i * 20L).samples(), 0, all, i * perFrame, perFrame);
        }
        ann.sendAudio(new AudioFrame(F, all, 0));
        clock.advanceTo(Duration.ofMillis(5000));
        assertThat(turns).extracting(GroupTurn::text).containsExactly("go forward ten meters");
        g.stop();
    }

    /**
     * A participant's recognizer, 600 ms behind, stalls for 1.7 s at the end of their words (a
     * decoder starved of CPU): when the turn ends, its latest interim holds only the first word
     * and has not changed for over a second, and the
     * stream's published position shows it has not heard the rest. The turn waits for the
     * recognizer instead of answering from the stale interim (CI: "go for" answered for "go
     * forward ten meters").
     */
    @Test
    void aStalledRecognizerIsWaitedForBeforeTheTurnIsAnsweredFromItsInterim() {
        // "go" is published 600 ms after its end, just after the end of speech (1500); the
        // decoder then stalls from 1700 to 3400, so "forward" (due at 2100) comes after the
        // turn's wait is over, with the final.
        UserScript ann = new UserScript().say(500, 1000, "go forward");
        scripts.put("ann", ann);
        FakeStt stalling = FakeStt.builder(clock, ann).interimDelay(Duration.ofMillis(600)).finalDelay(Duration.ofMillis(300))
                .wordTimings(true).stall(Duration.ofMillis(1700), Duration.ofMillis(1700)).build();
        GroupSession g = group().stt(stalling).build();
        Participant p = g.join("ann", "Ann", ParticipantKind.VOICE, null);
        run(Map.of(p, ann), 0, 10_000);
        assertThat(turns).extracting(GroupTurn::text).containsExactly("go forward");
        g.stop();
    }

    @Test
    void badInputIsRefusedWithClearErrors() {
        GroupSession g = group().build();
        Participant t = g.join("t", "T", ParticipantKind.TEXT, null);
        assertThatThrownBy(() -> g.join("t", "Again", ParticipantKind.TEXT, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> g.join(" ", "Blank", ParticipantKind.TEXT, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.sendAudio(new byte[4])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> t.sendText("  ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WakePhrase.of("one two three four five six")).isInstanceOf(IllegalArgumentException.class);
        scripts.put("v", new UserScript());
        Participant v = g.join("v", "V", ParticipantKind.VOICE, null);
        assertThatThrownBy(() -> v.sendAudio(new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v.sendAudio(new AudioFrame(AudioFormat.PCM_8K_MONO, new short[160], 0)))
                .isInstanceOf(SessionException.class);
        t.leave();
        clock.advance(Duration.ofMillis(10));
        assertThatThrownBy(() -> t.sendText("hello")).isInstanceOf(SessionException.class);
        g.stop();
        assertThatThrownBy(() -> g.join("late", "Late", ParticipantKind.TEXT, null)).isInstanceOf(SessionException.class);
    }

    @Test
    void wakePhraseMatchingIgnoresCaseAndPunctuationButNotOtherWords() {
        WakePhrase w = WakePhrase.of("hey agent");
        assertThat(w.strip("Hey, Agent! What's up?")).contains("What's up?");
        assertThat(w.strip("hey agent")).contains("");
        assertThat(w.strip("hey agents are great")).isEmpty();
        assertThat(w.strip("they say hey agent")).isEmpty();
        assertThat(w.strip("hey")).isEmpty();
    }
}
