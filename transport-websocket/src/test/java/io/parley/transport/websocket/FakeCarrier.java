package io.parley.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.audio.G711;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A telephone provider's side of a media stream on virtual time, built from the documented
 * samples: it sends the caller's audio (a tone while the {@link UserScript} speaks) as 20 ms
 * media messages at 8 kHz in the dialect's encoding, buffers what it receives and plays it out at real-time pace, echoes
 * marks once the audio before them has played, and on clear drops the buffer and echoes every
 * pending mark, as the providers document.
 */
final class FakeCarrier implements MessageSocket {

    final Dialect d;
    /** Bytes of 20 ms at 8 kHz in the dialect's encoding. */
    private final int frame;
    private final VirtualClock clock;
    private final UserScript script;
    private StreamEndpoint conn;
    private final ArrayDeque<Object> buffer = new ArrayDeque<>();
    private int headOffset;
    private long seq = 1;
    private long chunk;
    private io.parley.time.Clock.Cancellable tickHandle;
    /** Wire bytes played to the caller so far. */
    long playedBytes;
    private long lastTickNanos;
    private long resumedNanos;
    /** Bytes heard and virtual time at each clear. */
    final List<long[]> clears = new ArrayList<>();
    final List<String> marksEchoed = new ArrayList<>();
    final List<JsonNode> received = new ArrayList<>();
    boolean closed;
    int closeStatus;
    String closeReason;
    boolean sendAudio = true;

    FakeCarrier(Dialect d, VirtualClock clock, UserScript script) {
        this.d = d;
        this.frame = 160 * d.encoding.bytesPerSample();
        this.clock = clock;
        this.script = script;
    }

    void attach(StreamEndpoint c) {
        this.conn = c;
    }

    /** Sends connected (if the provider has it) and start, then media every 20 ms. */
    void start() {
        if (d.samples.has("in connected")) {
            conn.onText(d.samples.text("in connected"));
        }
        conn.onText(next("in start").toString());
        schedule();
    }

    private void schedule() {
        tickHandle = clock.schedule(this::tick, 20, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (closed) {
            return;
        }
        if (sendAudio) {
            media(callerFrame(clock.nanoTime()));
        }
        play(frame);
        schedule();
    }

    /** 20 ms of the caller: the test kit's 220 Hz tone while the script speaks, silence otherwise. */
    private byte[] callerFrame(long t0) {
        byte[] b = new byte[frame];
        for (int i = 0; i < 160; i++) {
            long t = t0 + i * 125_000L;
            short v = script.at(t) != null ? (short) (8000 * Math.sin(2 * Math.PI * 220 * t / 1e9)) : 0;
            if (d.encoding == WireEncoding.MULAW) {
                b[i] = G711.encodeUlaw(v);
            } else {
                b[2 * i] = (byte) v;
                b[2 * i + 1] = (byte) (v >> 8);
            }
        }
        return b;
    }

    /** Wire bytes per millisecond of audio. */
    long bytesPerMilli() {
        return 8L * d.encoding.bytesPerSample();
    }

    /** Sends one media message with the next chunk number. */
    void media(byte[] audio) {
        chunk++;
        ObjectNode m = next("in media");
        Samples.set(m, d.chunk, chunk);
        Samples.set(m, d.timestamp, (chunk - 1) * 20);
        Samples.set(m, d.payload, Base64.getEncoder().encodeToString(audio));
        conn.onText(m.toString());
    }

    /** Skips {@code n} chunk numbers, as if their messages were lost. */
    void lose(int n) {
        chunk += n;
    }

    /** Sends the previous chunk again, as a late duplicate. */
    void duplicate(byte[] ulaw) {
        chunk--;
        media(ulaw);
    }

    void dtmf(char digit) {
        conn.onText(Samples.set(next("in dtmf"), d.digit, String.valueOf(digit)).toString());
    }

    /** The caller hangs up: stop where the provider has it, else the socket closes. */
    void hangUp() {
        if (d.samples.has("in stop")) {
            conn.onText(next("in stop").toString());
        } else {
            close(1000, "caller hung up");
        }
    }

    void raw(String text) {
        conn.onText(text);
    }

    /** A copy of a sample with the next sequence number. */
    ObjectNode next(String key) {
        ObjectNode m = d.samples.get(key);
        if (m.has(d.seq)) {
            Samples.set(m, d.seq, seq++);
        }
        return m;
    }

    /**
     * Bytes the caller has heard by now: what earlier ticks played, plus the part of the
     * frame playing at this moment (ticks consume audio at the end of its 20 ms).
     */
    long heardBytesNow() {
        long since = Math.max(0, clock.nanoTime() - Math.max(lastTickNanos, resumedNanos)) / 125_000L * d.encoding.bytesPerSample();
        long buffered = bufferedMillis() * bytesPerMilli();
        return playedBytes + Math.min(buffered, since);
    }

    private void play(int bytes) {
        lastTickNanos = clock.nanoTime();
        echoMarksAtHead();
        int left = bytes;
        while (left > 0 && !buffer.isEmpty() && buffer.peek() instanceof byte[] b) {
            int n = Math.min(left, b.length - headOffset);
            headOffset += n;
            left -= n;
            playedBytes += n;
            if (headOffset == b.length) {
                buffer.poll();
                headOffset = 0;
            }
            echoMarksAtHead();
        }
    }

    private void echoMarksAtHead() {
        while (!buffer.isEmpty() && buffer.peek() instanceof String name) {
            buffer.poll();
            echo(name);
        }
    }

    private void echo(String name) {
        marksEchoed.add(name);
        ObjectNode m = next("in mark");
        Samples.set(m, d.markName, name);
        clock.execute(() -> conn.onText(m.toString()));
    }

    /** Milliseconds of audio buffered and not yet played. */
    long bufferedMillis() {
        long bytes = -headOffset;
        for (Object o : buffer) {
            if (o instanceof byte[] b) {
                bytes += b.length;
            }
        }
        return bytes / bytesPerMilli();
    }

    @Override
    public void sendText(String text) {
        JsonNode m;
        try {
            m = Samples.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        received.add(m);
        String event = m.get("event").asText();
        if (event.equals(d.outMedia)) {
            if (bufferedMillis() == 0) {
                resumedNanos = clock.nanoTime();
            }
            byte[] audio = Base64.getDecoder().decode(Samples.at(m, d.outPayload));
            int exact = d.protocol.mediaFrameMillis() * 8 * d.encoding.bytesPerSample();
            if (exact > 0 && audio.length != exact) {
                throw new AssertionError(d + " media of " + audio.length + " bytes, not " + exact);
            }
            buffer.add(audio);
        } else if (event.equals(d.outMark)) {
            buffer.add(Samples.at(m, d.outMarkName));
            if (buffer.size() == 1) {
                echoMarksAtHead();
            }
        } else if (event.equals(d.outClear)) {
            clears.add(new long[]{heardBytesNow(), clock.elapsed().toMillis()});
            List<String> pending = new ArrayList<>();
            for (Object o : buffer) {
                if (o instanceof String s) {
                    pending.add(s);
                }
            }
            buffer.clear();
            headOffset = 0;
            pending.forEach(this::echo);
        } else {
            throw new AssertionError(d + " does not accept outbound event " + event + ": " + text);
        }
    }

    @Override
    public void sendBinary(byte[] bytes, int length) {
        throw new AssertionError(d + " streams carry no binary messages");
    }

    @Override
    public void close(int status, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        closeStatus = status;
        closeReason = reason;
        if (tickHandle != null) {
            tickHandle.cancel();
        }
        clock.execute(() -> conn.onClose(status, reason));
    }

    /** Outbound messages of one event name. */
    long count(String event) {
        return received.stream().filter(m -> m.get("event").asText().equals(event)).count();
    }

    static Duration ms(long v) {
        return Duration.ofMillis(v);
    }
}
