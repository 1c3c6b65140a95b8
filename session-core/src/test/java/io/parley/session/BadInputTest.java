package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BadInputTest {

    private static VoiceSession hostFed(VirtualClock clock) {
        UserScript user = new UserScript();
        return VoiceSession.builder()
                .clock(clock)
                .stt(FakeStt.builder(clock, user).build())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).build())
                .build();
    }

    @Test
    void oddLengthPcmIsRejected() {
        VoiceSession s = hostFed(new VirtualClock());
        s.start();
        assertThatThrownBy(() -> s.processAudio(new byte[641]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even");
    }

    @Test
    void wrongSampleRateIsRejectedWithInvalidAudio() {
        VoiceSession s = hostFed(new VirtualClock());
        s.start();
        AudioFrame frame = AudioFrame.allocate(AudioFormat.PCM_48K_MONO, 960).setLength(960);
        SessionException e = catchThrowableOfType(() -> s.processAudio(frame), SessionException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_AUDIO);
        assertThat(e).hasMessageContaining("48000").hasMessageContaining("16000");
    }

    @Test
    void emptyFrameIsRejected() {
        VoiceSession s = hostFed(new VirtualClock());
        s.start();
        SessionException e = catchThrowableOfType(() -> s.processAudio(AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 320)),
                SessionException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_AUDIO);
    }

    @Test
    void audioBeforeStartAndAfterStopIsRefused() {
        VoiceSession s = hostFed(new VirtualClock());
        byte[] pcm = new byte[640];
        assertThat(catchThrowableOfType(() -> s.processAudio(pcm), SessionException.class).code())
                .isEqualTo(ErrorCode.SESSION_NOT_ACTIVE);
        s.start();
        s.processAudio(pcm);
        s.stop();
        assertThat(catchThrowableOfType(() -> s.processAudio(pcm), SessionException.class).code())
                .isEqualTo(ErrorCode.SESSION_NOT_ACTIVE);
        assertThat(catchThrowableOfType(() -> s.say("hi"), SessionException.class).code())
                .isEqualTo(ErrorCode.SESSION_NOT_ACTIVE);
    }

    @Test
    void nullAndBlankTextAreRejected() {
        VoiceSession s = hostFed(new VirtualClock());
        s.start();
        assertThatThrownBy(() -> s.say(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.say("hi", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.sendText(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.sendText("  ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.processAudio((byte[]) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.processAudio((AudioFrame) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.addListener(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendTextToAStoppedSessionFailsTheFuture() {
        VoiceSession s = hostFed(new VirtualClock());
        var reply = s.sendText("hello");
        assertThat(reply).isCompletedExceptionally();
    }

    @Test
    void invalidConfigNamesTheField() {
        assertThat(catchThrowableOfType(() -> SessionConfig.builder().endpointingMinDelay(Duration.ofSeconds(5)).build(),
                SessionException.class))
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("endpointingMaxDelay");
        assertThat(catchThrowableOfType(() -> SessionConfig.builder().timeout(Duration.ZERO).build(), SessionException.class))
                .hasMessageContaining("timeout");
        assertThat(catchThrowableOfType(() -> SessionConfig.builder().similarityThreshold(1.5).build(), SessionException.class))
                .hasMessageContaining("similarityThreshold");
        assertThat(catchThrowableOfType(() -> SessionConfig.builder().maxRetries(-1).build(), SessionException.class))
                .hasMessageContaining("maxRetries");
        assertThat(catchThrowableOfType(() -> SessionConfig.builder().interruptionMinDuration(Duration.ofMillis(-1)).build(),
                SessionException.class)).hasMessageContaining("interruptionMinDuration");
    }

    @Test
    void missingProvidersAreNamed() {
        VirtualClock clock = new VirtualClock();
        assertThat(catchThrowableOfType(() -> VoiceSession.builder().clock(clock).build(), SessionException.class))
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG)).hasMessageContaining("stt");
        assertThat(catchThrowableOfType(() -> VoiceSession.builder().stt(FakeStt.builder(clock, new UserScript()).build())
                .tts(FakeTts.builder(clock).build()).build(), SessionException.class)).hasMessageContaining("agent");
    }

    @Test
    void defaultsMatchTheDocumentation() {
        SessionConfig c = SessionConfig.defaults();
        assertThat(c.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.awayTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.autoStart()).isFalse();
        assertThat(c.keepAlive()).isTrue();
        assertThat(c.keepAliveInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxRetries()).isEqualTo(3);
        assertThat(c.retryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.interruptionMinWords()).isZero();
        assertThat(c.interruptionMinDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.falseInterruptionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.endpointingMinDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.endpointingMaxDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.preemptiveGeneration()).isFalse();
        assertThat(c.similarityThreshold()).isEqualTo(0.8);
        assertThat(c.maxUtteranceDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.sessionId()).isNotBlank();
        assertThat(SessionConfig.defaults().sessionId()).isNotEqualTo(c.sessionId());
    }

    @Test
    void hostFedSessionHearsPcmBytes() {
        VirtualClock clock = new VirtualClock();
        UserScript user = new UserScript().say(0, 60_000, "one two three");
        FakeStt stt = FakeStt.builder(clock, user).build();
        VoiceSession s = VoiceSession.builder().clock(clock).stt(stt).tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).build()).build();
        s.start();
        byte[] pcm = new byte[640];
        for (int i = 0; i < 10; i++) {
            s.processAudio(pcm);
            clock.advance(Duration.ofMillis(20));
        }
        assertThat(stt.streams().get(0).samples()).isEqualTo(3200);
    }

    @Test
    void aFailureOfAudioProcessedWhileTheSessionStopsIsNotReportedAfterEnded() {
        VirtualClock clock = new VirtualClock();
        java.util.List<Object> seen = new java.util.ArrayList<>();
        VoiceSession[] session = new VoiceSession[1];
        // The session stops while this frame is being classified (a stop() from another thread).
        io.parley.spi.VadProvider stopping = new io.parley.spi.VadProvider() {
            @Override
            public String name() {
                return "stopping";
            }

            @Override
            public io.parley.spi.Vad create(AudioFormat format) {
                return new io.parley.spi.Vad() {
                    @Override
                    public io.parley.spi.VadResult process(AudioFrame frame) {
                        session[0].stopAsync();
                        throw new IllegalStateException("VAD broke");
                    }

                    @Override
                    public void reset() {
                    }
                };
            }
        };
        UserScript user = new UserScript();
        session[0] = VoiceSession.builder().clock(clock).vad(stopping)
                .stt(FakeStt.builder(clock, user).build())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).build())
                .listener(new SessionListener() {
                    @Override
                    public void onStateChanged(StateChange change) {
                        seen.add(change.to());
                    }

                    @Override
                    public void onError(SessionException error) {
                        seen.add(error.code());
                    }
                })
                .build();
        session[0].start();

        session[0].processAudio(new byte[640]);
        clock.runPending();

        // Listeners hear nothing after ENDED; the failure is logged instead.
        assertThat(seen).containsExactly(SessionState.LISTENING, SessionState.ENDED);
    }
}
