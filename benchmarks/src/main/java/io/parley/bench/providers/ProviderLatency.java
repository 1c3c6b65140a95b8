package io.parley.bench.providers;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.providers.deepgram.DeepgramStt;
import io.parley.providers.deepgram.DeepgramTts;
import io.parley.providers.elevenlabs.ElevenLabsTts;
import io.parley.providers.http.NoDelaySocketFactory;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.ByteString;

/**
 * Latency the provider layer adds on loopback, p50/p99: audio frame written to a
 * {@link DeepgramStt} stream until the transcript it provokes reaches the listener, and text
 * pushed to a TTS stream until its first audio frame reaches the listener. Each is set
 * against a bare OkHttp websocket doing the same round trip to the same loopback server,
 * so the difference is what Parley's encoding, protocol handling and decoding cost.
 *
 * <p>The loopback servers answer at once with canned protocol messages (a {@code Results}
 * per audio frame; 20 ms of audio per flush), so no provider think-time is included.
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.providers.ProviderLatency -Dbench.args="2000 300"}
 */
public final class ProviderLatency {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final String RESULT = "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":0.02,\"start\":0.0,"
            + "\"is_final\":false,\"speech_final\":false,\"channel\":{\"alternatives\":[{\"transcript\":\"Tell me more about this.\","
            + "\"confidence\":0.99964225,\"words\":[{\"word\":\"tell\",\"start\":0.0,\"end\":0.01,\"confidence\":0.99782443,"
            + "\"punctuated_word\":\"Tell\"},{\"word\":\"me\",\"start\":0.01,\"end\":0.02,\"confidence\":0.9998324,"
            + "\"punctuated_word\":\"me\"}]}]},\"metadata\":{\"request_id\":\"52cc0efe-fa77-4aa7-b79c-0dda09de2f14\",\"model_info\":"
            + "{\"name\":\"2-general-nova\",\"version\":\"2024-01-18.26916\",\"arch\":\"nova-2\"},\"model_uuid\":"
            + "\"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c\"},\"from_finalize\":false}";
    private static final ByteString PCM_20MS = ByteString.of(new byte[FORMAT.samplesFor(20) * 2]);
    private static final String EL_AUDIO = "{\"audio\":\"" + Base64.getEncoder().encodeToString(PCM_20MS.toByteArray())
            + "\",\"isFinal\":null,\"normalizedAlignment\":{\"chars\":[\"H\",\"i\",\".\",\" \"],\"charStartTimesMs\":[0,5,10,15],"
            + "\"charDurationsMs\":[5,5,5,5]},\"alignment\":{\"chars\":[\"H\",\"i\",\".\",\" \"],\"charStartTimesMs\":[0,5,10,15],"
            + "\"charDurationsMs\":[5,5,5,5]}}";

    private ProviderLatency() {
    }

    public static void main(String[] args) throws Exception {
        int sttRounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int ttsRounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getRequestUrl().encodedPath();
                return new MockResponse().withWebSocketUpgrade(new Responder(path));
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        String base = "http://127.0.0.1:" + server.getPort();
        // The baseline disables Nagle's algorithm like the providers' default clients do.
        OkHttpClient client = new OkHttpClient.Builder().socketFactory(new NoDelaySocketFactory()).build();
        try {
            System.out.println("provider latency on loopback, " + sttRounds + " STT and " + ttsRounds + " TTS rounds after warm-up");
            long[] rawStt = rawRoundTrip(client, base + "/raw-stt", sttRounds, true);
            long[] stt = deepgramStt(base, client, sttRounds);
            report("raw websocket: binary frame -> text reply", rawStt, null);
            report("DeepgramStt: frame write -> onTranscript", stt, rawStt);
            long[] rawTts = rawRoundTrip(client, base + "/raw-tts", ttsRounds, false);
            report("raw websocket: text -> binary reply", rawTts, null);
            TtsRequest req = new TtsRequest("bench", FORMAT, "voice");
            report("DeepgramTts: pushText -> first onAudio", tts(DeepgramTts.builder().apiKey("k").baseUrl(base)
                    .build(), req, ttsRounds), rawTts);
            report("ElevenLabsTts stream-input: pushText -> first onAudio", tts(ElevenLabsTts.builder().apiKey("k").baseUrl(base)
                    .build(), req, ttsRounds), rawTts);
            try (ElevenLabsTts multi = ElevenLabsTts.builder().apiKey("k").baseUrl(base)
                    .mode(ElevenLabsTts.Mode.MULTI_CONTEXT).build()) {
                report("ElevenLabsTts multi-context: pushText -> first onAudio", tts(multi, req, ttsRounds), rawTts);
            }
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
            server.shutdown();
        }
        // The providers' default OkHttp clients keep idle non-daemon dispatcher threads for a minute.
        System.exit(0);
    }

    /** Server side: answers each client message the way the addressed endpoint would, at once. */
    private static final class Responder extends WebSocketListener {
        private final String path;

        Responder(String path) {
            this.path = path;
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            ws.close(1000, null);
        }

        @Override
        public void onMessage(WebSocket ws, ByteString bytes) {
            ws.send(RESULT); // /raw-stt and /v1/listen: one Results per audio frame
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            if (path.equals("/raw-tts")) {
                ws.send(PCM_20MS);
            } else if (path.equals("/v1/speak") || path.equals("/v1/listen")) {
                if (text.contains("\"Flush\"")) {
                    ws.send(PCM_20MS);
                    ws.send("{\"type\":\"Flushed\",\"sequence_id\":0}");
                } else if (text.contains("\"Close\"") || text.contains("CloseStream")) {
                    ws.close(1000, null);
                }
            } else if (path.endsWith("stream-input")) {
                String ctx = text.contains("context_id") ? text.replaceAll(".*\"context_id\":\"([^\"]+)\".*", "$1") : null;
                String tag = ctx == null ? "" : ",\"contextId\":\"" + ctx + "\"";
                if (text.contains("\"flush\":true")) {
                    ws.send(EL_AUDIO.substring(0, EL_AUDIO.length() - 1) + tag + "}");
                } else if (text.contains("close_context") || text.equals("{\"text\":\"\"}")) {
                    ws.send("{\"isFinal\":true" + tag + "}");
                    if (ctx == null) {
                        ws.close(1000, null);
                    }
                } else if (text.contains("close_socket")) {
                    ws.close(1000, null);
                }
            }
        }
    }

    private static long[] rawRoundTrip(OkHttpClient client, String url, int rounds, boolean binaryOut) throws InterruptedException {
        Semaphore arrived = new Semaphore(0);
        long[] at = new long[1];
        WebSocket ws = client.newWebSocket(new Request.Builder().url(url).build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                arrived.release();
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                at[0] = System.nanoTime();
                arrived.release();
            }

            @Override
            public void onMessage(WebSocket webSocket, ByteString bytes) {
                at[0] = System.nanoTime();
                arrived.release();
            }
        });
        await(arrived);
        int warm = rounds / 4;
        long[] out = new long[rounds];
        for (int i = -warm; i < rounds; i++) {
            long t0 = System.nanoTime();
            if (binaryOut) {
                ws.send(PCM_20MS);
            } else {
                ws.send("{\"text\":\"Hello there. \"}");
            }
            await(arrived);
            if (i >= 0) {
                out[i] = at[0] - t0;
            }
        }
        ws.close(1000, null);
        return out;
    }

    private static long[] deepgramStt(String base, OkHttpClient client, int rounds) throws InterruptedException {
        Semaphore arrived = new Semaphore(0);
        long[] at = new long[1];
        SttListener listener = new SttListener() {
            @Override
            public void onTranscript(Transcript transcript) {
                at[0] = System.nanoTime();
                arrived.release();
            }

            @Override
            public void onError(SessionException error) {
                System.err.println("STT error: " + error.getMessage());
            }
        };
        DeepgramStt stt = DeepgramStt.builder().apiKey("k").baseUrl(base).build();
        AudioFrame frame = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(20)).setLength(FORMAT.samplesFor(20));
        int warm = rounds / 4;
        long[] out = new long[rounds];
        try (SttStream s = stt.open(new SttRequest("bench", FORMAT, Duration.ZERO, ""), listener)) {
            for (int i = -warm; i < rounds; i++) {
                long t0 = System.nanoTime();
                s.write(frame);
                await(arrived);
                if (i >= 0) {
                    out[i] = at[0] - t0;
                }
            }
        }
        return out;
    }

    private static long[] tts(TtsProvider tts, TtsRequest request, int rounds) throws InterruptedException {
        Semaphore first = new Semaphore(0);
        Semaphore complete = new Semaphore(0);
        long[] at = new long[1];
        int warm = rounds / 4;
        long[] out = new long[rounds];
        for (int i = -warm; i < rounds; i++) {
            boolean[] seen = new boolean[1];
            TtsListener listener = new TtsListener() {
                @Override
                public void onAudio(AudioFrame frame) {
                    if (!seen[0]) {
                        seen[0] = true;
                        at[0] = System.nanoTime();
                        first.release();
                    }
                }

                @Override
                public void onComplete() {
                    complete.release();
                }

                @Override
                public void onError(SessionException error) {
                    System.err.println("TTS error: " + error.getMessage());
                    first.release();
                    complete.release();
                }
            };
            try (TtsStream s = tts.open(request, listener)) {
                long t0 = System.nanoTime();
                s.pushText("Hello there. ");
                await(first);
                if (i >= 0) {
                    out[i] = at[0] - t0;
                }
                s.flush();
                await(complete);
            }
        }
        return out;
    }

    private static void await(Semaphore s) throws InterruptedException {
        if (!s.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no answer within 10 s");
        }
    }

    private static void report(String what, long[] nanos, long[] baseline) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = sorted[sorted.length / 2] / 1000.0;
        double p99 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1000.0;
        String line = String.format(Locale.ROOT, "%-56s p50 %8.1f us   p99 %8.1f us", what, p50, p99);
        if (baseline != null) {
            long[] b = baseline.clone();
            Arrays.sort(b);
            line += String.format(Locale.ROOT, "   (added over raw: p50 %+.1f us)", p50 - b[b.length / 2] / 1000.0);
        }
        System.out.println(line);
    }
}
