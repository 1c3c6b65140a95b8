package io.parley.examples.web;

import io.parley.audio.vad.DspVad;
import io.parley.providers.deepgram.DeepgramStt;
import io.parley.providers.elevenlabs.ElevenLabsTts;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.spi.SttProvider;
import io.parley.spi.TtsProvider;
import io.parley.transport.webrtc.IceServer;
import io.parley.transport.webrtc.WebRtcConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the browser demo: {@code mvn -q -pl examples exec:java
 * -Dexec.mainClass=io.parley.examples.web.WebDemoMain [-Dexec.args="PORT [ADDRESS]"]}, then open
 * the printed address in a browser on this machine and press "Start talking".
 *
 * <p>For other devices, listen on another address (e.g. {@code 0.0.0.0}) with HTTPS, which
 * browsers require for the microphone: set {@code PARLEY_TLS_KEYSTORE} (a PKCS#12 file) and
 * {@code PARLEY_TLS_PASSWORD}. {@code PARLEY_STUN} (e.g. {@code stun:stun.example.org:3478})
 * adds a STUN server for the server and the page.
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
        InetSocketAddress address = args.length > 1 ? new InetSocketAddress(args[1], port)
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        DemoProviders providers = fromEnvironment();
        WebRtcConfig.Builder webrtc = WebRtcConfig.builder();
        if (hasEnv("PARLEY_STUN")) {
            webrtc.addIceServer(IceServer.stun(System.getenv("PARLEY_STUN")));
        }
        WebDemo.Builder builder = WebDemo.builder().providers(providers).address(address).webrtc(webrtc.build());
        if (hasEnv("PARLEY_TLS_KEYSTORE")) {
            String password = System.getenv("PARLEY_TLS_PASSWORD");
            builder.tls(Path.of(System.getenv("PARLEY_TLS_KEYSTORE")), password == null ? new char[0] : password.toCharArray());
        }
        WebDemo demo = builder.start();
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
