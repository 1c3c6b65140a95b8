package io.parley.bench.telephony;

import io.parley.audio.G711;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The provider's side of many Twilio calls, as cheap as a driver can be so that the soak measures
 * the server: one pacing thread writes every call's 20 ms media message (the calls spread over
 * 1 ms slots), one selector thread reads what the server sends. Messages are WebSocket frames built once per call and patched in place
 * (fixed-width sequence numbers, chunk and timestamp; payloads base64-encoded once), written to
 * non-blocking sockets: nothing is allocated per frame. Marks are echoed on the pacing thread's
 * tick once the audio before them has played, as a provider plays out on its own 20 ms clock.
 */
final class WireCallers implements AutoCloseable {

    static final long FRAME_NANOS = 20_000_000L;
    static final int SLOTS = 20;
    static final long SLOT_NANOS = FRAME_NANOS / SLOTS;
    private static final int DIGITS = 10;
    private static final byte[] SILENCE_B64;
    /** 1.2 s of a two-tone "voice", one base64 payload per 20 ms. */
    private static final byte[][] SPEECH_B64 = new byte[60][];

    static {
        byte[] silence = new byte[160];
        java.util.Arrays.fill(silence, (byte) 0xFF);
        SILENCE_B64 = Base64.getEncoder().encode(silence);
        for (int f = 0; f < SPEECH_B64.length; f++) {
            byte[] frame = new byte[160];
            for (int i = 0; i < 160; i++) {
                double s = f * 0.02 + i / 8000.0;
                frame[i] = G711.encodeUlaw((short) (6000 * Math.sin(2 * Math.PI * 180 * s) + 3000 * Math.sin(2 * Math.PI * 720 * s)));
            }
            SPEECH_B64[f] = Base64.getEncoder().encode(frame);
        }
    }

    /** One call's socket and the state both threads keep for it. */
    static final class Line {
        final TelephonySoak.Probe p;
        final int index;
        final SocketChannel ch;
        private final ByteBuffer media;
        private final int seqAt;
        private final int chunkAt;
        private final int tsAt;
        private final int payloadAt;
        /** Bytes a full socket did not take; written before anything else. Touched by the pacing thread only. */
        private final ArrayDeque<ByteBuffer> backlog = new ArrayDeque<>();
        /** Mark echoes due at {@code [0]} nanos, written by the pacing thread. */
        final ConcurrentLinkedQueue<Echo> echoes = new ConcurrentLinkedQueue<>();
        private long seq = 1;
        private long chunk;
        // Reader-thread state.
        final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
        private long playEnd;
        private long lastMedia;
        volatile boolean closed;
        volatile boolean hungUp;

        Line(TelephonySoak.Probe p, int index, SocketChannel ch) {
            this.p = p;
            this.index = index;
            this.ch = ch;
            String json = "{\"event\":\"media\",\"sequenceNumber\":\"" + "0".repeat(DIGITS) + "\",\"streamSid\":\"" + p.id
                    + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + "0".repeat(DIGITS) + "\",\"timestamp\":\""
                    + "0".repeat(DIGITS) + "\",\"payload\":\"" + new String(SILENCE_B64, StandardCharsets.US_ASCII) + "\"}}";
            byte[] frame = frame(json.getBytes(StandardCharsets.US_ASCII));
            int header = frame.length - json.length();
            this.media = ByteBuffer.wrap(frame);
            this.seqAt = header + json.indexOf("\"sequenceNumber\":\"") + 18;
            this.chunkAt = header + json.indexOf("\"chunk\":\"") + 9;
            this.tsAt = header + json.indexOf("\"timestamp\":\"") + 13;
            this.payloadAt = header + json.indexOf("\"payload\":\"") + 11;
        }

        /** Opens the stream: Twilio's {@code connected} and {@code start}. */
        void sendStart() {
            sendText("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
            sendText("{\"event\":\"start\",\"sequenceNumber\":\"" + seq++ + "\",\"streamSid\":\"" + p.id + "\",\"start\":{\"streamSid\":\""
                    + p.id + "\",\"accountSid\":\"AC1\",\"callSid\":\"CA" + index + "\",\"tracks\":[\"inbound\"],\"customParameters\":{},"
                    + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}");
        }

        /** Writes {@code text} now (start, stop): not on the per-frame path. */
        void sendText(String text) {
            write(ByteBuffer.wrap(frame(text.getBytes(StandardCharsets.UTF_8))));
        }

        /** Patches and writes the media frame; returns false if the socket was backed up. */
        boolean sendMedia(byte[] payload) {
            if (!flushBacklog()) {
                // The socket is full: keep the frame's bytes for later (allocates, and is counted).
                byte[] copy = fill(payload);
                backlog.add(ByteBuffer.wrap(copy));
                return false;
            }
            next(media.array(), payload);
            media.clear();
            return write(media);
        }

        private byte[] fill(byte[] payload) {
            byte[] b = media.array().clone();
            next(b, payload);
            return b;
        }

        /** Writes the next message's numbers and payload into frame {@code b}. */
        private void next(byte[] b, byte[] payload) {
            patch(b, seqAt, seq++);
            chunk++;
            patch(b, chunkAt, chunk);
            patch(b, tsAt, (chunk - 1) * 20);
            System.arraycopy(payload, 0, b, payloadAt, payload.length);
        }

        /** Writes due mark echoes; on the pacing thread. */
        void echoDue(long now) {
            Echo e;
            while ((e = echoes.peek()) != null && e.due <= now) {
                echoes.poll();
                String json = "{\"event\":\"mark\",\"sequenceNumber\":\"" + seq++ + "\",\"streamSid\":\"" + p.id
                        + "\",\"mark\":{\"name\":\"" + e.name + "\"}}";
                sendText(json);
            }
        }

        /** Writes what the socket takes now; false once the server has gone (this caller then counts as hung up). */
        private boolean writeSome(ByteBuffer b) {
            try {
                ch.write(b);
                return true;
            } catch (IOException e) {
                closed = true;
                return false;
            }
        }

        private boolean flushBacklog() {
            ByteBuffer b;
            while ((b = backlog.peek()) != null) {
                if (!writeSome(b)) {
                    return false;
                }
                if (b.hasRemaining()) {
                    return false;
                }
                backlog.poll();
            }
            return true;
        }

        private boolean write(ByteBuffer b) {
            if (!flushBacklog()) {
                backlog.add(copyOf(b));
                return false;
            }
            if (!writeSome(b)) {
                return false;
            }
            if (b.hasRemaining()) {
                backlog.add(copyOf(b));
                return false;
            }
            return true;
        }

        private static ByteBuffer copyOf(ByteBuffer b) {
            ByteBuffer c = ByteBuffer.allocate(b.remaining());
            c.put(b).flip();
            return c;
        }

        /** Answers the server's close frame, once the pacer no longer writes (the calls were hung up). */
        void answerClose() {
            if (hungUp) {
                try {
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) 0x88, (byte) 0x80, 0, 0, 0, 0}));
                } catch (IOException e) {
                    // The server has gone already: nothing left to answer.
                }
            }
        }

        /** A server text message; on the reader thread. */
        void received(byte[] m, int off, int len, long now) {
            if (startsWith(m, off, len, "{\"event\":\"media\"")) {
                int start = indexOf(m, off, len, "\"payload\":\"") + 11;
                int end = start;
                while (end < off + len && m[end] != '"') {
                    end++;
                }
                int b64 = end - start;
                int bytes = b64 / 4 * 3 - (b64 > 0 && m[end - 1] == '=' ? (m[end - 2] == '=' ? 2 : 1) : 0);
                if (now - lastMedia > 500_000_000L) {
                    p.replyStarts.add(Instant.now());
                }
                lastMedia = now;
                playEnd = Math.max(playEnd, now) + bytes * 125_000L;
            } else if (startsWith(m, off, len, "{\"event\":\"mark\"")) {
                int start = indexOf(m, off, len, "\"name\":\"") + 8;
                int end = start;
                while (end < off + len && m[end] != '"') {
                    end++;
                }
                echoes.add(new Echo(Math.max(now, playEnd), new String(m, start, end - start, StandardCharsets.US_ASCII)));
            } else if (startsWith(m, off, len, "{\"event\":\"clear\"")) {
                playEnd = now;
            }
        }
    }

    record Echo(long due, String name) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final Selector selector;
    private final Thread reader;
    private Thread pacer;
    private volatile boolean pacing = true;
    private volatile boolean reading = true;
    final AtomicLong backedUp = new AtomicLong();
    /** The pacer's CPU time when it stopped, once it has. */
    private volatile long pacerCpuAtEnd = -1;

    WireCallers() throws IOException {
        this.selector = Selector.open();
        this.reader = new Thread(this::readLoop, "soak-reader");
        this.reader.setDaemon(true);
    }

    /** Connects one call: a blocking WebSocket upgrade, then the socket joins the selector. */
    Line connect(int port, String path, TelephonySoak.Probe p, int index) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.socket().setTcpNoDelay(true);
        String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
        Line line = new Line(p, index, ch);
        ByteBuffer in = line.in;
        int headerEnd = -1;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (headerEnd < 0) {
            if (ch.read(in) < 0 || System.nanoTime() > deadline) {
                throw new IOException("upgrade failed for call " + index);
            }
            headerEnd = indexOf(in.array(), 0, in.position(), "\r\n\r\n");
        }
        String head = new String(in.array(), 0, headerEnd, StandardCharsets.US_ASCII);
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head);
        }
        // Keep whatever followed the header for the reader.
        in.flip().position(headerEnd + 4);
        in.compact();
        ch.configureBlocking(false);
        synchronized (lines) {
            lines.add(line);
        }
        // Connected before the reader starts, so registering never waits for a select.
        ch.register(selector, SelectionKey.OP_READ, line);
        return line;
    }

    /** Every connected call, in order. */
    List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * Starts reading and, from {@code gridStart}, writing every call's frames on its 20 ms grid.
     * Calls start spread over {@code spreadNanos}, as a real trunk's do, and each sits in one of
     * {@link #SLOTS} 1 ms slots of the 20 ms period, as independent phones do: the pacer writes a
     * few calls every millisecond instead of all of them at once, so neither it nor the server
     * sees a burst of every call's frame on the same tick.
     */
    void start(long gridStart, long spreadNanos) {
        List<Line> all = lines();
        for (Line l : all) {
            long ramp = (all.size() < 2 ? 0 : spreadNanos * l.index / (all.size() - 1)) / FRAME_NANOS * FRAME_NANOS;
            l.p.gridStart = gridStart + ramp + slot(l) * SLOT_NANOS;
        }
        reader.start();
        pacer = new Thread(() -> pace(gridStart), "soak-pacer");
        pacer.setDaemon(true);
        pacer.start();
    }

    private static int slot(Line l) {
        return l.index % SLOTS;
    }

    private void pace(long gridStart) {
        Line[][] bySlot = new Line[SLOTS][];
        synchronized (lines) {
            for (int s = 0; s < SLOTS; s++) {
                int slot = s;
                bySlot[s] = lines.stream().filter(l -> slot(l) == slot).toArray(Line[]::new);
            }
        }
        // One period before each call's first frame is due, its start goes out.
        long next = gridStart;
        for (long tick = 0; pacing; tick++, next += SLOT_NANOS) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            for (Line l : bySlot[(int) (tick % SLOTS)]) {
                long t = next - l.p.gridStart - FRAME_NANOS;
                if (l.closed || t < -FRAME_NANOS) {
                    continue;
                }
                if (t < 0) {
                    l.sendStart();
                    continue;
                }
                long phase = (t + l.index * 37_000_000L) % 8_000_000_000L;
                byte[] payload = SILENCE_B64;
                if (phase >= 2_000_000_000L && phase < 3_200_000_000L) {
                    payload = SPEECH_B64[(int) ((phase - 2_000_000_000L) / FRAME_NANOS)];
                }
                l.p.sent.incrementAndGet();
                // The frame's arrival at the server is stamped before the write: on loopback the
                // server may read it before the write returns. The stamp is at most the write's
                // few microseconds early, which counts against the server, not the callers.
                int at = (int) ((l.chunk + 1) % TelephonySoak.ARRIVALS);
                long begin = System.nanoTime();
                l.p.arrivals.set(at, begin);
                if (!l.sendMedia(payload)) {
                    // Held back in a full socket: when it reaches the server is not known.
                    l.p.arrivals.set(at, 0);
                    backedUp.incrementAndGet();
                }
                if (next >= TelephonySoak.measureFrom) {
                    l.p.sent(begin - next);
                }
                l.echoDue(System.nanoTime());
            }
        }
        pacerCpuAtEnd = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** CPU time the callers' two threads have used so far (the pacer's up to its end, once it stopped). */
    long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long pacerCpu = pacerCpuAtEnd;
        if (pacerCpu < 0) {
            pacerCpu = pacer == null ? 0 : Math.max(0, mx.getThreadCpuTime(pacer.getId()));
        }
        return pacerCpu + Math.max(0, mx.getThreadCpuTime(reader.getId()));
    }

    private void readLoop() {
        while (reading) {
            try {
                selector.select(100);
                long now = System.nanoTime();
                for (SelectionKey k : selector.selectedKeys()) {
                    Line l = (Line) k.attachment();
                    int n = l.ch.read(l.in);
                    if (n < 0) {
                        l.closed = true;
                        k.cancel();
                        continue;
                    }
                    frames(l, now);
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                if (reading) {
                    System.err.println("soak reader: " + e);
                }
            } catch (java.nio.channels.ClosedSelectorException e) {
                if (reading) {
                    throw e;
                }
                // close() closed the selector while the reader was in a select: it is done.
            }
        }
    }

    /** Handles every whole frame in the line's buffer (server frames are unmasked). */
    private static void frames(Line l, long now) {
        ByteBuffer in = l.in;
        byte[] b = in.array();
        int pos = 0;
        int limit = in.position();
        while (limit - pos >= 2) {
            int opcode = b[pos] & 0x0F;
            int len = b[pos + 1] & 0x7F;
            int header = 2;
            if (len == 126) {
                if (limit - pos < 4) {
                    break;
                }
                len = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
                header = 4;
            } else if (len == 127) {
                if (limit - pos < 10) {
                    break;
                }
                len = (int) ByteBuffer.wrap(b, pos + 2, 8).getLong();
                header = 10;
            }
            if (limit - pos < header + len) {
                break;
            }
            if (opcode == 1) {
                l.received(b, pos + header, len, now);
            } else if (opcode == 8) {
                l.closed = true;
                l.answerClose();
            }
            pos += header + len;
        }
        in.flip().position(pos);
        in.compact();
    }

    /** A client frame: FIN, text, masked with a zero key (so the payload goes as is). */
    static byte[] frame(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        byte[] f = new byte[header + 4 + n];
        f[0] = (byte) 0x81;
        if (n < 126) {
            f[1] = (byte) (0x80 | n);
        } else if (n < 65536) {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (n >>> 8);
            f[3] = (byte) n;
        } else {
            f[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, f, header + 4, n);
        return f;
    }

    private static void patch(byte[] b, int at, long value) {
        long v = value;
        for (int i = DIGITS - 1; i >= 0; i--) {
            b[at + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    private static boolean startsWith(byte[] b, int off, int len, String prefix) {
        if (len < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[off + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int off, int len, String s) {
        outer:
        for (int i = off; i <= off + len - s.length(); i++) {
            for (int k = 0; k < s.length(); k++) {
                if (b[i + k] != s.charAt(k)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Sends {@code stop} on every call; after the pacer stopped. */
    void hangUpAll() {
        synchronized (lines) {
            for (Line l : lines) {
                synchronized (l) {
                    l.hungUp = true;
                    l.sendText("{\"event\":\"stop\",\"sequenceNumber\":\"" + l.seq++ + "\",\"streamSid\":\"" + l.p.id
                            + "\",\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA" + l.index + "\"}}");
                }
            }
        }
    }

    /** Stops writing; the callers keep their sockets until {@link #close()}. */
    void stopPacing() throws InterruptedException {
        pacing = false;
        if (pacer != null) {
            pacer.join(1000);
        }
    }

    @Override
    public void close() throws IOException {
        pacing = false;
        reading = false;
        selector.wakeup();
        synchronized (lines) {
            for (Line l : lines) {
                l.ch.close();
            }
        }
        selector.close();
    }
}
