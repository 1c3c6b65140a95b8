package io.parley.bench.telephony;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.G711;
import io.parley.spi.TransportListener;
import io.parley.session.SessionException;
import io.parley.transport.websocket.MediaStreamProtocol;
import io.parley.transport.websocket.MediaStreamTransport;
import io.parley.transport.websocket.StreamEndpoint;
import io.parley.transport.websocket.StreamSettings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One 20 ms telephone frame through the transport, each way: inbound µ-law 8 kHz → PCM at the
 * session rate, delivered to the session's listener; outbound session PCM → µ-law 8 kHz, handed
 * to the socket. {@code envelope=raw} is the codec path alone (binary µ-law messages);
 * {@code envelope=twilio} adds Twilio's JSON and base64: inbound reads with the connection's one
 * parser and allocates nothing; outbound builds the String Jetty's text send takes (about
 * 320 bytes). Run with {@code -prof gc}: the figure that matters is {@code gc.alloc.rate.norm}
 * (bytes per frame).
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.args="MulawPathBenchmark -f 1 -wi 3 -i 5 -prof gc"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MulawPathBenchmark {

    @Param({"raw", "twilio"})
    public String envelope;

    private StreamEndpoint endpoint;
    private MediaStreamTransport transport;
    private final CountingSocket socket = new CountingSocket();
    private ByteBuffer mulaw;
    private String mediaJson;
    private AudioFrame pcm;
    private long received;

    @Setup
    public void setUp() {
        boolean raw = "raw".equals(envelope);
        MediaStreamProtocol protocol = raw ? new RawMulaw() : MediaStreamProtocol.twilio();
        // A mark every 10 s: the benchmark measures frames, not the (rare) mark messages.
        StreamSettings settings = StreamSettings.defaults().withMarkInterval(Duration.ofSeconds(10));
        endpoint = StreamEndpoint.open(protocol, call -> {
            transport = call;
            return null;
        }, settings, socket);
        byte[] frame = new byte[160];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = G711.encodeUlaw((short) (6000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
        }
        mulaw = ByteBuffer.wrap(frame);
        // Without a chunk number: the same message again and again would otherwise be skipped as a late duplicate.
        mediaJson = "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\","
                + "\"timestamp\":\"20\",\"payload\":\"" + Base64.getEncoder().encodeToString(frame) + "\"}}";
        endpoint.onText(raw ? "start" : "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{"
                + "\"streamSid\":\"MZ1\",\"accountSid\":\"AC1\",\"callSid\":\"CA1\",\"tracks\":[\"inbound\"],\"customParameters\":{},"
                + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}");
        // The handler refused the session, so the benchmark plays the session's part: it listens itself.
        transport.start(new TransportListener() {
            @Override
            public void onAudio(AudioFrame f) {
                received += f.length();
            }

            @Override
            public void onError(SessionException error) {
                throw error;
            }
        });
        AudioFormat f = transport.outputFormat();
        pcm = AudioFrame.allocate(f, f.samplesFor(20)).setLength(f.samplesFor(20));
        for (int i = 0; i < pcm.length(); i++) {
            pcm.samples()[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / (double) f.sampleRate()));
        }
    }

    @Benchmark
    public long inbound() {
        if ("raw".equals(envelope)) {
            mulaw.rewind();
            endpoint.onBinary(mulaw);
        } else {
            endpoint.onText(mediaJson);
        }
        return received;
    }

    @Benchmark
    public long outbound() {
        transport.send(pcm);
        return socket.chars;
    }
}
