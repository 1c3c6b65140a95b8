package io.parley.examples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.UserSpeech;
import io.parley.session.UserTranscript;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo end to end in a real browser: headless Chromium loads the page from the demo's
 * server, its fake microphone plays a recorded utterance, the offline recognizer transcribes
 * it, the agent answers and the browser receives the answer's audio.
 *
 * <p>The page runs with {@code ?processing=off}: in headless Chromium with a fake capture
 * device, echo cancellation adds a faint periodic signal to the WAV's digital silence (the
 * energy VAD reported speech onsets about every 3 s during silence), which no real microphone
 * with room noise would show.
 */
class WebDemoBrowserTest {

    private static final String QUESTION = "what is your name";

    @BeforeAll
    static void environment() throws Exception {
        assumeThat(CdpChromium.installed()).as("Chromium is not installed at " + CdpChromium.BINARY
                + " (Debian package chromium); these tests drive a real browser").isTrue();
        boolean network = false;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            network |= ni.isUp() && !ni.isLoopback() && ni.getInetAddresses().hasMoreElements();
        }
        assumeThat(network).as("libwebrtc gathers no ICE candidates on loopback and no other interface is up").isTrue();
    }

    /** Observes the demo's sessions from the Java side. */
    static final class Observed implements SessionListener {
        final List<String> finals = new CopyOnWriteArrayList<>();
        final List<PlaybackEvent> playback = new CopyOnWriteArrayList<>();
        final List<UserSpeech> speech = new CopyOnWriteArrayList<>();
        final List<SessionException> errors = new CopyOnWriteArrayList<>();
        final CountDownLatch answered = new CountDownLatch(1);

        @Override
        public void onUserTranscript(UserTranscript t) {
            if (t.transcript().isFinal()) {
                finals.add(t.transcript().text());
            }
        }

        @Override
        public void onUserSpeech(UserSpeech s) {
            speech.add(s);
        }

        @Override
        public void onPlayback(PlaybackEvent e) {
            playback.add(e);
            if (e.kind() == PlaybackEvent.Kind.FINISHED && e.text().contains("My name is Parley")) {
                answered.countDown();
            }
        }

        @Override
        public void onError(SessionException error) {
            errors.add(error);
        }
    }

    @Test
    void personAsksAndHearsTheAnswer() throws Exception {
        // Silence long enough for the greeting to finish, then the question, then room for the answer.
        Observed seen = new Observed();
        Path wav = microphone(7_000, QUESTION, 12_000);
        try (WebDemo demo = startDemo(seen); CdpChromium browser = CdpChromium.open(demo.pageUri().resolve("/?processing=off"), wav)) {
            pressTalk(browser);
            assertThat(seen.answered.await(60, TimeUnit.SECONDS))
                    .as("the agent's answer was played; finals %s, errors %s, browser:%n%s", seen.finals, seen.errors, browser.output())
                    .isTrue();
            assertThat(seen.finals).contains(QUESTION);
            assertThat(seen.playback).as("speech %s, finals %s", seen.speech, seen.finals)
                    .filteredOn(e -> e.kind() == PlaybackEvent.Kind.INTERRUPTED).isEmpty();

            JsonNode page = pageAfter(browser, p -> p.path("agentTexts").toString().contains("My name is Parley"));
            System.out.println("page saw: " + page);
            assertThat(page.path("connected").asBoolean()).isTrue();
            assertThat(page.path("userFinals").toString()).contains(QUESTION);
            assertThat(page.path("states").toString()).contains("LISTENING", "PROCESSING", "SPEAKING");
            assertThat(page.path("errors").size()).isZero();
            assertThat(page.path("audioContext").asText()).isEqualTo("running");
            long answerSpeech = seen.playback.stream().filter(e -> e.text().contains("My name is Parley"))
                    .findFirst().orElseThrow().speechId();
            assertThat(page.path("speechRms").path(Long.toString(answerSpeech)).asDouble())
                    .as("loudest 43 ms of the answer's audio at the page").isGreaterThan(0.02);
            assertThat(page.path("packetsReceived").asLong()).isGreaterThan(300);
            assertThat(page.path("packetsLost").asLong()).isZero();
            browser.evaluate("window.parleyDemo.hangUp().then(() => true)");
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    @Test
    void personTalkingOverTheGreetingCutsItOff() throws Exception {
        // The question starts while the greeting (about 4 s) is still playing.
        Observed seen = new Observed();
        Path wav = microphone(2_500, QUESTION, 12_000);
        try (WebDemo demo = startDemo(seen); CdpChromium browser = CdpChromium.open(demo.pageUri().resolve("/?processing=off"), wav)) {
            pressTalk(browser);
            assertThat(seen.answered.await(60, TimeUnit.SECONDS))
                    .as("the agent answered after the barge-in; finals %s, errors %s", seen.finals, seen.errors).isTrue();
            PlaybackEvent cut = seen.playback.stream().filter(e -> e.kind() == PlaybackEvent.Kind.INTERRUPTED)
                    .findFirst().orElseThrow(() -> new AssertionError("greeting was not interrupted: " + seen.playback));
            assertThat(cut.text()).isEqualTo(DemoAgent.GREETING);
            assertThat(cut.playedText().length()).isLessThan(DemoAgent.GREETING.length());
            UserSpeech onset = seen.speech.stream().filter(UserSpeech::speaking)
                    .filter(s -> !s.at().isAfter(cut.at())).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no speech onset before the interruption: " + seen.speech));
            long reactionMs = Duration.between(onset.at(), cut.at()).toMillis();
            System.out.println("barge-in: speech onset to playback cut " + reactionMs + " ms");
            // Budget: the session's interruptionMinDuration (500 ms of speech) plus 300 ms.
            assertThat(reactionMs).isBetween(0L, 800L);
            assertThat(seen.finals).contains(QUESTION);
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /** Waits (bounded, in page time) for the demo script, then presses the button. */
    private static void pressTalk(CdpChromium browser) throws Exception {
        String loaded = "new Promise((resolve, reject) => { let n = 0; const f = () => window.parleyDemo ? resolve(true)"
                + " : (++n > 200 ? reject(new Error('demo script did not load')) : setTimeout(f, 50)); f(); })";
        for (int attempt = 1; ; attempt++) {
            try {
                browser.evaluate(loaded);
                break;
            } catch (IllegalStateException e) {
                // The first evaluation can land in the blank page Chromium starts with, which the navigation destroys.
                if (attempt == 5 || !e.getMessage().contains("context was destroyed")) {
                    throw e;
                }
            }
        }
        browser.evaluate("document.getElementById('talk').click(); true");
    }

    private static WebDemo startDemo(Observed seen) {
        return WebDemo.builder()
                .providers(new DemoProviders(PocketSphinxStt.builder().grammar(DemoAgent.GRAMMAR).build(),
                        FreeTtsTts.create(), DspVad.defaults(), "pocketsphinx + FreeTTS"))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .listener(seen)
                .start();
    }

    /** Waits (bounded, in page time) until the page's snapshot satisfies {@code done}. */
    private static JsonNode pageAfter(CdpChromium browser, java.util.function.Predicate<JsonNode> done) throws Exception {
        JsonNode snap = browser.evaluate("window.parleyDemo.snapshot()");
        for (int i = 0; i < 50 && !done.test(snap); i++) {
            snap = browser.evaluate("new Promise(r => setTimeout(r, 100)).then(() => window.parleyDemo.snapshot())");
        }
        return snap;
    }

    /** A 48 kHz WAV: silence, {@code text} spoken by FreeTTS, silence. */
    private static Path microphone(int silenceBeforeMs, String text, int silenceAfterMs) throws Exception {
        AudioClip speech = synthesize(text);
        AudioFormat f = speech.format();
        AudioClip clip = AudioClip.silence(f, Duration.ofMillis(silenceBeforeMs))
                .append(speech)
                .append(AudioClip.silence(f, Duration.ofMillis(silenceAfterMs)))
                .resample(48_000);
        Path wav = Files.createTempFile("parley-mic-", ".wav");
        Wav.write(wav, clip);
        return wav;
    }

    private static AudioClip synthesize(String text) throws Exception {
        AudioFormat format = AudioFormat.PCM_16K_MONO;
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (TtsStream s = FreeTtsTts.create().open(new TtsRequest("mic", format, ""), new TtsListener() {
            @Override
            public void onAudio(AudioFrame frame) {
                byte[] b = frame.toPcm16le();
                pcm.write(b, 0, b.length);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }

            @Override
            public void onError(SessionException error) {
                done.completeExceptionally(error);
            }
        })) {
            s.pushText(text);
            s.flush();
            done.get(30, TimeUnit.SECONDS);
        }
        return new AudioClip(format, AudioFrame.fromPcm16le(format, pcm.toByteArray(), 0).samples());
    }
}
