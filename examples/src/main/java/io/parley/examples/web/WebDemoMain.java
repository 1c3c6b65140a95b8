package io.parley.examples.web;

import io.parley.audio.vad.DspVad;
import io.parley.providers.deepgram.DeepgramStt;
import io.parley.providers.elevenlabs.ElevenLabsTts;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.spi.SttProvider;
import io.parley.spi.TtsProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the browser demo: {@code mvn -q -pl examples exec:java
 * -Dexec.mainClass=io.parley.examples.web.WebDemoMain [-Dexec.args=PORT]}, then open the
 * printed address in a browser on this machine and press "Start talking".
 *
 * <p>Speech is offline by default: pocketsphinx listening for the demo's phrases and the
 * FreeTTS voice. With {@code DEEPGRAM_API_KEY} set, Deepgram recognises free speech instead;
 * with {@code ELEVENLABS_API_KEY} set, ElevenLabs speaks.
 */
public final class WebDemoMain {

    private WebDemoMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        DemoProviders providers = fromEnvironment();
        WebDemo demo = WebDemo.builder()
                .providers(providers)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "parley-demo-shutdown"));
        System.out.println("Parley demo (" + providers.description() + ") at " + demo.pageUri() + " - Ctrl+C to stop");
        stopped.await();
    }

    /** Offline providers unless cloud keys are in the environment. */
    static DemoProviders fromEnvironment() {
        boolean deepgram = hasEnv("DEEPGRAM_API_KEY");
        boolean elevenlabs = hasEnv("ELEVENLABS_API_KEY");
        SttProvider stt = deepgram ? DeepgramStt.builder().build() : PocketSphinxStt.builder().grammar(DemoAgent.GRAMMAR).build();
        TtsProvider tts = elevenlabs ? ElevenLabsTts.builder().build() : FreeTtsTts.create();
        String description = (deepgram ? "Deepgram" : "pocketsphinx (demo phrases), offline")
                + " + " + (elevenlabs ? "ElevenLabs" : "FreeTTS, offline");
        return new DemoProviders(stt, tts, DspVad.defaults(), description);
    }

    private static boolean hasEnv(String name) {
        String v = System.getenv(name);
        return v != null && !v.isBlank();
    }
}
