package io.parley.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.testing.FakeVad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Group sessions on real threads: typing and speaking participants on their own threads,
 * a recognizer and a synthesizer answering from other threads after random delays, an agent
 * with random latency. Every addressed turn must be answered exactly once, in order, and
 * every transcript attributed to whoever spoke.
 */
class GroupSessionConcurrencyTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;
    private final ScheduledExecutorService providers = Executors.newScheduledThreadPool(3);

    /** Recognizes each utterance as "<participant> utterance <n>", answering finalize after 5-40 ms. */
    private final SttProvider stt = new SttProvider() {
        @Override
        public String name() {
            return "threaded-test-stt";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            String who = request.sessionId().substring(request.sessionId().indexOf('/') + 1);
            AtomicInteger n = new AtomicInteger();
            return new SttStream() {
                @Override
                public void write(AudioFrame frame) {
                }

                @Override
                public void finalizeUtterance() {
                    String text = who + " utterance " + n.incrementAndGet();
                    providers.schedule(() -> listener.onTranscript(new Transcript(text, true, true, 0.9, List.of(), "en")),
                            ThreadLocalRandom.current().nextInt(5, 40), TimeUnit.MILLISECONDS);
                }

                @Override
                public void close() {
                }
            };
        }
    };

    /** 10 ms of audio per character, in 20 ms frames, from another thread. */
    private final TtsProvider tts = new TtsProvider() {
        @Override
        public String name() {
            return "threaded-test-tts";
        }

        @Override
        public TtsStream open(TtsRequest request, TtsListener listener) {
            StringBuilder text = new StringBuilder();
            return new TtsStream() {
                @Override
                public void pushText(String chunk) {
                    text.append(chunk);
                }

                @Override
                public void flush() {
                    int frames = Math.max(1, text.length() / 2);
                    providers.execute(() -> {
                        for (int i = 0; i < frames; i++) {
                            listener.onAudio(new AudioFrame(F, new short[F.samplesFor(20)], 0));
                        }
                        listener.onComplete();
                    });
                }

                @Override
                public void cancel() {
                }

                @Override
                public void close() {
                }
            };
        }
    };

    @Test
    void everyAddressedTurnIsAnsweredOnceAndAttributedUnderConcurrency() throws Exception {
        int typists = 6;
        int speakers = 4;
        int turnsEach = 8;
        List<GroupTurn> turns = new CopyOnWriteArrayList<>();
        List<AgentReply> replies = new CopyOnWriteArrayList<>();
        List<GroupTranscript> finals = new CopyOnWriteArrayList<>();
        List<SessionException> errors = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();
        GroupSession g = GroupSession.builder()
                .stt(stt).tts(tts).vad(new FakeVad(500, Duration.ofMillis(40)))
                .config(SessionConfig.builder().endpointingMinDelay(Duration.ofMillis(60))
                        // No turn detector: the session waits its 500 ms silence clamped to
                        // these bounds, well inside the speakers' 300 ms pauses.
                        .endpointingMaxDelay(Duration.ofMillis(100)).build())
                .wakePhrase("hey agent")
                .agent((ctx, q) -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(0, 15));
                    return "reply to " + q;
                })
                .listener(new GroupListener() {
                    @Override
                    public void onTurn(GroupTurn t) {
                        turns.add(t);
                    }

                    @Override
                    public void onAgentReply(AgentReply r) {
                        replies.add(r);
                    }

                    @Override
                    public void onTranscript(GroupTranscript t) {
                        if (t.isFinal()) {
                            finals.add(t);
                        }
                    }

                    @Override
                    public void onError(SessionException e) {
                        errors.add(e);
                    }
                })
                .build();
        ExecutorService people = Executors.newFixedThreadPool(typists + speakers);
        CountDownLatch done = new CountDownLatch(typists + speakers);
        List<Participant> all = new ArrayList<>();
        // Everyone joins before anyone talks: a voice participant that joined after a reply began
        // would hear only the rest of it.
        List<Runnable> talk = new ArrayList<>();
        for (int i = 0; i < typists; i++) {
            Participant p = g.join("t" + i, "Typist " + i, ParticipantKind.TEXT, null);
            all.add(p);
            talk.add(() -> {
                try {
                    for (int k = 0; k < turnsEach; k++) {
                        p.sendText((k % 2 == 0 ? "hey agent " : "") + p.id() + " says " + k);
                        Thread.sleep(ThreadLocalRandom.current().nextInt(1, 20));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        for (int i = 0; i < speakers; i++) {
            String id = "v" + i;
            heard.put(id, new AtomicInteger());
            Participant p = g.join(id, "Voice " + i, ParticipantKind.VOICE, f -> heard.get(id).incrementAndGet());
            all.add(p);
            talk.add(() -> {
                try {
                    short[] loud = new short[F.samplesFor(20)];
                    java.util.Arrays.fill(loud, (short) 6000);
                    short[] quiet = new short[F.samplesFor(20)];
                    for (int k = 0; k < turnsEach; k++) {
                        for (int f = 0; f < 10; f++) {
                            p.sendAudio(new AudioFrame(F, loud, System.nanoTime()));
                            Thread.sleep(2);
                        }
                        // Silence long enough for the VAD offset and endpointing, as a real pause.
                        for (int f = 0; f < 30; f++) {
                            p.sendAudio(new AudioFrame(F, quiet, System.nanoTime()));
                            Thread.sleep(10);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        talk.forEach(people::execute);
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        int typedAddressed = typists * ((turnsEach + 1) / 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (turns.size() < typists * turnsEach + speakers * turnsEach && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long addressed = turns.stream().filter(GroupTurn::addressed).count();
        while (replies.size() < addressed && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        g.stop();
        people.shutdownNow();
        providers.shutdownNow();

        assertThat(errors).isEmpty();
        assertThat(turns).hasSize(typists * turnsEach + speakers * turnsEach);
        assertThat(addressed).isEqualTo(typedAddressed);
        assertThat(turns).extracting(GroupTurn::turnId).doesNotHaveDuplicates();
        // Every spoken turn and final transcript names the participant whose audio it came from.
        assertThat(turns).filteredOn(GroupTurn::spoken).allMatch(t -> t.text().startsWith(t.participantId() + " utterance"));
        assertThat(finals).allMatch(t -> t.text().startsWith(t.participantId() + " "));
        for (int i = 0; i < speakers; i++) {
            String id = "v" + i;
            assertThat(turns).filteredOn(t -> t.participantId().equals(id)).extracting(GroupTurn::text)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, turnsEach)
                            .mapToObj(k -> id + " utterance " + k).toList());
        }
        // Answered once each, in the order the turns were taken (QUEUE), none cut off.
        assertThat(replies).hasSize(typedAddressed).noneMatch(AgentReply::interrupted);
        assertThat(replies).extracting(r -> r.turn().turnId())
                .containsExactlyElementsOf(turns.stream().filter(GroupTurn::addressed).map(GroupTurn::turnId).toList());
        assertThat(replies).allMatch(r -> r.text().equals("reply to " + r.turn().question()));
        // Every voice participant heard every reply's audio; nobody else is a sink.
        int first = heard.get("v0").get();
        assertThat(first).isPositive();
        assertThat(heard.values()).allMatch(h -> h.get() == first);
        assertThat(all).noneMatch(Participant::present);
    }
}
