package io.parley.examples.quickstart;

import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.session.PlaybackResult;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.SpeechHandle;
import io.parley.session.VoiceSession;
import io.parley.session.io.AudioFeed;
import io.parley.session.io.WavRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The README's quick start, runnable: a real recording of a person speaking goes into a session
 * on the offline providers (PocketSphinx hears it, FreeTTS answers), and both sides are written
 * to WAV files. No key, model download or device is needed beyond {@code bin/setup-deps}.
 *
 * <p>{@code mvn -q -pl examples exec:java -Dexec.mainClass=io.parley.examples.quickstart.QuickStart
 * [-Dexec.args="YOUR.wav OUT_DIR"]}
 */
public final class QuickStart {

    /** A sentence from Debian's pocketsphinx-testdata, read by a LibriVox volunteer. */
    static final Path DEFAULT_RECORDING =
            Path.of("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav");

    private QuickStart() {
    }

    public static void main(String[] args) throws Exception {
        Path recording = args.length > 0 ? Path.of(args[0]) : DEFAULT_RECORDING;
        Path out = args.length > 1 ? Path.of(args[1]) : Path.of("quickstart-out");
        if (!Files.isRegularFile(recording)) {
            System.err.println("quickstart: no recording at " + recording
                    + " (run bin/setup-deps, or pass a 16-bit PCM WAV file as the first argument)");
            System.exit(2);
        }

        // The agent's reply to the first turn, as a handle: its text and when it was heard.
        CompletableFuture<SpeechHandle> reply = new CompletableFuture<>();
        try (WavRecorder wav = WavRecorder.builder().user(out.resolve("user.wav")).agent(out.resolve("agent.wav")).build()) {
            VoiceSession session = VoiceSession.builder()
                    .stt(PocketSphinxStt.create())
                    .tts(FreeTtsTts.create())
                    .vad(DspVad.defaults())
                    .agent((ctx, transcript) -> "You said: " + transcript)
                    .listener(new SessionListener() {
                        @Override
                        public void onUserTurn(long turnId, String text) {
                            System.out.println("user:  " + text);
                        }

                        @Override
                        public void onReply(SpeechHandle handle) {
                            reply.complete(handle);
                        }

                        @Override
                        public void onError(SessionException error) {
                            System.err.println("error: " + error.code() + ": " + error.getMessage());
                        }
                    })
                    .audioListener(wav)
                    .build();

            session.start();
            // The caller speaks, then stays quiet so the session hears the turn end.
            AudioFeed.wav(recording).thenSilence(Duration.ofSeconds(1)).into(session);
            PlaybackResult heard;
            try {
                heard = reply.get(15, TimeUnit.SECONDS).playout().get(15, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                session.stop();
                System.err.println("quickstart: the agent did not answer within 15 s");
                System.exit(1);
                return;
            }
            session.stop();
            System.out.println("agent: " + heard.playedText());
            System.out.println("wrote " + out.resolve("agent.wav") + " and " + out.resolve("user.wav"));
        }
    }
}
