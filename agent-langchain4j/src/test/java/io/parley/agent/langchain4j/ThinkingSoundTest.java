package io.parley.agent.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.session.BackgroundOptions;
import io.parley.session.SessionConfig;
import io.parley.session.VoiceSession;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.InMemoryTransport.SentFrame;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The thinking sound: mixed into the outbound audio once a tool has run past the threshold,
 * stopped by the tool's result, by an interruption and by the session's end. Virtual time.
 */
class ThinkingSoundTest {

    private static final short LEVEL = 1000;
    private static final long TOOL_MILLIS = 3000;
    private static final long THRESHOLD = 500;

    private final VirtualClock clock = new VirtualClock();
    private final UserScript user = new UserScript();
    private InMemoryTransport transport;
    private final int[] toolRuns = new int[1];
    private long toolAnsweredAt;

    private VoiceSession session() {
        transport = InMemoryTransport.builder(clock).script(user).build();
        AudioFormat out = transport.outputFormat();
        short[] clicks = new short[out.samplesFor(60)];
        Arrays.fill(clicks, LEVEL);
        ScriptedModel model = new ScriptedModel(clock, 200, 20, r -> List.of("It", " is", " sunny.")).callsTool("weather");
        LlmAgent agent = LlmAgent.builder().model(model).clock(clock)
                .tool(ToolSpecification.builder().name("weather").description("The weather").build(), (call, ctx) -> {
                    toolRuns[0]++;
                    toolAnsweredAt = clock.nanoTime() / 1_000_000;
                    return "sunny";
                })
                // The tool answers TOOL_MILLIS after it is called.
                .toolExecutor(task -> clock.schedule(task, TOOL_MILLIS, TimeUnit.MILLISECONDS))
                .filler(Duration.ofMillis(THRESHOLD), "Let me check.")
                .thinkingSound(new AudioClip(out, clicks), BackgroundOptions.builder().gain(1).build())
                .build();
        VoiceSession s = VoiceSession.builder().clock(clock).config(SessionConfig.builder().sessionId("think").build())
                .transport(transport).vad(new FakeVad()).stt(FakeStt.builder(clock, user).build())
                .tts(FakeTts.builder(clock).build()).streamingAgent(agent).build();
        s.start();
        return s;
    }

    /** Frames that carry the thinking sound alone. */
    private List<SentFrame> thinkingFrames() {
        return transport.sent().stream().filter(f -> {
            for (short v : f.samples()) {
                if (v != LEVEL) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    private static long ms(SentFrame f) {
        return f.at().toMillis();
    }

    @Test
    void theSoundStartsAfterTheThresholdAndStopsWhenTheToolAnswers() {
        user.say(500, 1000, "what is the weather");
        VoiceSession session = session();
        clock.advanceTo(Duration.ofSeconds(10));

        List<SentFrame> thinking = thinkingFrames();
        assertThat(toolRuns[0]).isEqualTo(1);
        assertThat(thinking).isNotEmpty();
        long first = ms(thinking.get(0));
        long last = ms(thinking.get(thinking.size() - 1));
        long called = toolAnsweredAt - TOOL_MILLIS;
        assertThat(first).isEqualTo(called + THRESHOLD);
        assertThat(last).isLessThan(toolAnsweredAt);
        // Sound goes out continuously at real-time pace while the tool runs (lead included).
        assertThat(thinking.size() * 20L).isBetween(TOOL_MILLIS - THRESHOLD, TOOL_MILLIS - THRESHOLD + 120);
        // The answer is spoken after it, without the sound.
        assertThat(transport.sent().stream().filter(f -> ms(f) >= toolAnsweredAt)).isNotEmpty()
                .noneMatch(f -> f.samples()[0] == LEVEL);
        session.stop();
    }

    @Test
    void anInterruptionStopsTheSoundAndNothingOfItGoesOutAfterwards() {
        user.say(500, 1000, "what is the weather");
        VoiceSession session = session();
        clock.advanceTo(Duration.ofMillis(3500));
        assertThat(thinkingFrames()).isNotEmpty();

        session.interrupt();
        clock.advanceTo(Duration.ofSeconds(10));

        assertThat(thinkingFrames()).allSatisfy(f -> assertThat(ms(f)).isLessThanOrEqualTo(3500));
        assertThat(transport.sent()).allSatisfy(f -> assertThat(ms(f)).isLessThanOrEqualTo(3500));
        session.stop();
    }

    @Test
    void stoppingTheSessionStopsTheSound() {
        user.say(500, 1000, "what is the weather");
        VoiceSession session = session();
        clock.advanceTo(Duration.ofMillis(3000));
        assertThat(thinkingFrames()).isNotEmpty();

        session.stop();
        int sent = transport.sent().size();
        clock.advanceTo(Duration.ofSeconds(10));
        assertThat(transport.sent()).hasSize(sent);
    }
}
