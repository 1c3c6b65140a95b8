package io.parley.examples.phone;

import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.session.DtmfTurns;
import io.parley.session.SessionConfig;
import io.parley.session.SessionListener;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.session.VoiceSession;
import io.parley.spi.SttProvider;
import io.parley.spi.TtsProvider;
import io.parley.transport.websocket.MediaStreamProtocol;
import io.parley.transport.websocket.MediaStreamTransport;
import io.parley.transport.websocket.TelephonyRoutes;
import io.parley.transport.websocket.TelephonyServer;
import io.parley.transport.websocket.twilio.TwiML;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A phone agent on the offline providers: {@code mvn -q -pl examples exec:java
 * -Dexec.mainClass=io.parley.examples.phone.PhoneAgentMain -Dexec.args="8080 https://your-public-host"}.
 *
 * <p>Point a Twilio number's "A call comes in" webhook (HTTP POST) at
 * {@code https://your-public-host/twilio/voice}; the answer connects the call to the media stream at
 * {@code wss://your-public-host/twilio/stream}. With {@code TWILIO_AUTH_TOKEN} set, requests
 * without a valid {@code X-Twilio-Signature} are refused. Telnyx streams go to
 * {@code /telnyx/stream}, Exotel Voicebot streams to
 * {@code /exotel/stream}, Vonage WebSockets to {@code /vonage/stream}, raw PCM WebSocket clients to {@code /pcm}.
 */
public final class PhoneAgentMain {

    private PhoneAgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        String publicUrl = args.length > 1 ? args[1] : "https://localhost:" + port;
        String host = URI.create(publicUrl).getAuthority();
        SttProvider stt = PocketSphinxStt.builder().grammar(PhoneAgent.GRAMMAR).build();
        TtsProvider tts = FreeTtsTts.create();

        TelephonyRoutes.Builder routes = TelephonyRoutes.builder()
                .twilioWebhook("/twilio/voice", form -> TwiML.connectStream("wss://" + host + "/twilio/stream")
                        .parameter("from", form.getOrDefault("From", "")))
                .stream("/twilio/stream", MediaStreamProtocol.twilio(), call -> answer(call, stt, tts))
                .stream("/telnyx/stream", MediaStreamProtocol.telnyx(), call -> answer(call, stt, tts))
                .stream("/exotel/stream", MediaStreamProtocol.exotel(), call -> answer(call, stt, tts))
                .stream("/vonage/stream", MediaStreamProtocol.vonage(), call -> answer(call, stt, tts))
                .stream("/pcm", MediaStreamProtocol.pcm(), call -> answer(call, stt, tts));
        String token = System.getenv("TWILIO_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            routes.twilioAuthToken(token, publicUrl);
        }
        TelephonyServer server = routes.build().start("0.0.0.0", port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "parley-phone-shutdown"));
        System.out.println("Parley phone agent on port " + server.port() + ": Twilio webhook " + publicUrl
                + "/twilio/voice" + (token == null || token.isBlank() ? " (signatures NOT checked: set TWILIO_AUTH_TOKEN)" : "")
                + " - Ctrl+C to stop");
        stopped.await();
    }

    /** One session per call: greet, listen, answer spoken questions and key presses. */
    static VoiceSession answer(MediaStreamTransport call, SttProvider stt, TtsProvider tts) {
        System.out.println("call " + call.call().callId() + " from " + call.call().customParameters().getOrDefault("from", "?")
                + " over " + call.call().protocol());
        VoiceSession session = VoiceSession.builder()
                .transport(call)
                .stt(stt)
                .tts(tts)
                .vad(DspVad.defaults())
                .agent(new PhoneAgent())
                // Mark echoes cross the Internet: keep enough audio at the provider that playout never starves.
                .config(SessionConfig.builder().playoutLead(Duration.ofMillis(200)).build())
                .build();
        session.addListener(new SessionListener() {
            @Override
            public void onStateChanged(StateChange c) {
                if (c.from() == SessionState.INITIAL && c.to() == SessionState.LISTENING) {
                    session.say(PhoneAgent.GREETING);
                }
            }
        });
        session.addListener(DtmfTurns.builder(keys -> session.sendText(PhoneAgent.KEYS + keys))
                .interDigitTimeout(Duration.ofMillis(1500)).build());
        return session;
    }
}
