package io.parley.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Vonage's side of a Voice API WebSocket on virtual time, from the documented messages in
 * {@code protocols/vonage.txt}: {@code websocket:connected} first, then the caller as binary
 * L16 frames of 20 ms; it plays what it receives at real-time pace, rejects binary messages
 * that are not exactly 20 ms, answers {@code notify} with {@code websocket:notify} once the
 * audio before it has played, and on {@code clear} drops its buffer (pending notifies too) and answers
 * {@code websocket:cleared}. Hang-up is the socket closing: Vonage has no stop message.
 */
final class VonageCarrier implements MessageSocket {

    static final Samples SAMPLES = Samples.load("vonage.txt");

    private final VirtualClock clock;
    private final UserScript script;
    private final int rate;
    private final int frameBytes;
    private StreamEndpoint conn;
    private final ArrayDeque<Object> buffer = new ArrayDeque<>();
    private io.parley.time.Clock.Cancellable tickHandle;
    /** Bytes played to the caller so far. */
    long playedBytes;
    /** Binary messages of the wrong length. */
    final List<Integer> badFrames = new ArrayList<>();
    /** Bytes the caller had heard at each clear. */
    final List<Long> clears = new ArrayList<>();
    final List<JsonNode> received = new ArrayList<>();
    int framesReceived;
    boolean closed;
    int closeStatus;
    String closeReason;

    VonageCarrier(VirtualClock clock, UserScript script, int rate) {
        this.clock = clock;
        this.script = script;
        this.rate = rate;
        this.frameBytes = rate / 50 * 2;
    }

    void attach(StreamEndpoint c) {
        this.conn = c;
    }

    /** Sends websocket:connected at this carrier's rate, then a caller frame every 20 ms. */
    void start() {
        ObjectNode connected = SAMPLES.get("in start");
        connected.put("content-type", "audio/l16;rate=" + rate);
        conn.onText(connected.toString());
        tickHandle = clock.schedule(this::tick, 20, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (closed) {
            return;
        }
        conn.onBinary(java.nio.ByteBuffer.wrap(callerFrame(clock.nanoTime())));
        play(frameBytes);
        tickHandle = clock.schedule(this::tick, 20, TimeUnit.MILLISECONDS);
    }

    /** 20 ms of L16: the test kit's 220 Hz tone while the script speaks, zeros otherwise. */
    private byte[] callerFrame(long t0) {
        byte[] b = new byte[frameBytes];
        long step = 1_000_000_000L / rate;
        for (int i = 0; i < frameBytes / 2; i++) {
            long t = t0 + i * step;
            short v = script.at(t) != null ? (short) (8000 * Math.sin(2 * Math.PI * 220 * t / 1e9)) : 0;
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    void dtmf(char digit) {
        ObjectNode m = SAMPLES.get("in dtmf");
        m.put("digit", String.valueOf(digit));
        conn.onText(m.toString());
    }

    void raw(String text) {
        conn.onText(text);
    }

    void rawBinary(byte[] bytes) {
        conn.onBinary(java.nio.ByteBuffer.wrap(bytes));
    }

    /** The caller hangs up: Vonage closes the socket. */
    void hangUp() {
        close(1000, "caller hung up");
    }

    private void play(int bytes) {
        notifyAtHead();
        int left = bytes;
        while (left > 0 && !buffer.isEmpty() && buffer.peek() instanceof byte[] b) {
            buffer.poll();
            left -= b.length;
            playedBytes += b.length;
            notifyAtHead();
        }
    }

    private void notifyAtHead() {
        while (!buffer.isEmpty() && buffer.peek() instanceof String name) {
            buffer.poll();
            ObjectNode m = SAMPLES.get("in mark");
            ((ObjectNode) m.get("payload")).put("name", name);
            clock.execute(() -> conn.onText(m.toString()));
        }
    }

    /** Milliseconds of audio buffered and not yet played. */
    long bufferedMillis() {
        long bytes = 0;
        for (Object o : buffer) {
            if (o instanceof byte[] b) {
                bytes += b.length;
            }
        }
        return bytes * 1000 / (rate * 2L);
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
        String action = m.get("action").asText();
        if (action.equals("notify")) {
            buffer.add(m.get("payload").get("name").asText());
            if (buffer.size() == 1) {
                notifyAtHead();
            }
        } else if (action.equals("clear")) {
            clears.add(playedBytes);
            // Vonage documents no answer to notifies pending at a clear: the fake drops them.
            buffer.clear();
            String cleared = SAMPLES.text("in cleared");
            clock.execute(() -> conn.onText(cleared));
        } else {
            throw new AssertionError("Vonage does not accept action " + action + ": " + text);
        }
    }

    @Override
    public void sendBinary(byte[] bytes, int length) {
        framesReceived++;
        if (length != frameBytes) {
            badFrames.add(length);
        }
        buffer.add(Arrays.copyOf(bytes, length));
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

    /** Outbound text messages of one action. */
    long count(String action) {
        return received.stream().filter(m -> m.get("action").asText().equals(action)).count();
    }
}
