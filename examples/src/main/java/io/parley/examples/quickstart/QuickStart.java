package io.parley.examples.quickstart;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.AudioListener;
import io.parley.session.PlaybackResult;
import io.parley.session.SessionListener;
import io.parley.session.StateChange;
import io.parley.session.UserTranscript;
import io.parley.session.VoiceSession;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.UserScript;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The README's code example, runnable: a session fed by the host with
 * {@code processAudio}, answering through an agent callback, on the test kit's scripted
 * recognizer and synthesizer so that it needs no model, key or device.
 */
public final class QuickStart {

    private QuickStart() {
    }

    public static void main(String[] args) throws Exception {
        Clock clock = Clock.system();
        // The scripted recognizer "hears" these words in whatever audio arrives at these times.
        long t0 = Duration.ofNanos(clock.nanoTime()).toMillis();
        UserScript user = new UserScript().say(t0 + 3_000, 1_200, "what can you do");

        AtomicLong agentAudio = new AtomicLong();
        VoiceSession session = VoiceSession.builder()
                .stt(FakeStt.builder(clock, user).build())
                .tts(FakeTts.builder(clock).build())
                .vad(new FakeVad())
                .agent((ctx, transcript) -> "I heard you say: " + transcript)
                .listener(new SessionListener() {
                    @Override
                    public void onStateChanged(StateChange change) {
                        System.out.println("state   " + change.from() + " -> " + change.to() + " (" + change.reason() + ")");
                    }

                    @Override
                    public void onUserTranscript(UserTranscript t) {
                        System.out.println((t.transcript().isFinal() ? "user    " : "interim ") + t.transcript().text());
                    }
                })
                .audioListener(new AudioListener() {
                    @Override
                    public void onAgentAudio(AudioFrame frame) {
                        agentAudio.addAndGet(frame.length());
                    }
                })
                .build();

        session.start();

        PlaybackResult greeting = session.say("Hello! Say something.").awaitPlayout(Duration.ofSeconds(10));
        System.out.println("agent   " + greeting.playedText());

        // Five seconds of microphone audio, 20 ms at a time: a 220 Hz tone while the user
        // speaks (3.0 s to 4.2 s on the script), silence otherwise.
        AudioFormat format = AudioFormat.PCM_16K_MONO;
        byte[] pcm = new byte[format.samplesFor(20) * 2];
        long start = clock.nanoTime();
        for (int frame = 0; frame < 300; frame++) {
            long at = start + frame * 20_000_000L;
            boolean speaking = user.at(at) != null;
            for (int i = 0; i < pcm.length / 2; i++) {
                short s = speaking ? (short) (8000 * Math.sin(2 * Math.PI * 220 * i / format.sampleRate())) : 0;
                pcm[2 * i] = (byte) s;
                pcm[2 * i + 1] = (byte) (s >> 8);
            }
            session.processAudio(pcm);
            long sleep = at + 20_000_000L - clock.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }

        session.stop();
        System.out.println("history " + session.history());
        System.out.printf("agent audio: %.1f s%n", agentAudio.get() / (double) format.sampleRate());
    }
}
