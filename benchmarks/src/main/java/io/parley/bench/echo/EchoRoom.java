package io.parley.bench.echo;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A speakerphone in a room, as a transport on real threads: a playout thread plays the
 * session's audio every 20 ms (pausable, clearable), and the microphone hears the user's
 * recording, the played audio coming back through the room (a delay, then an exponentially
 * decaying reverberant impulse response, at a set level) and optional noise. The microphone's
 * 20 ms frames are delivered on the same thread at real-time pace.
 *
 * <p>It records when playout was paused, resumed and cleared, and when each user recording's
 * first spoken sample was captured, so onset-to-pause latency is measured from the true start
 * of speech.
 */
final class EchoRoom implements Transport {

    static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    static final int FRAME = 320;
    private static final long FRAME_NANOS = 20_000_000L;

    /** What the playout did and when (clock nanos). */
    record Action(String kind, long nanos) {
    }

    private final Clock clock;
    private final Random random;
    private final short[] queue = new short[FORMAT.samplesFor(30_000)];
    private int head;
    private int size;
    private boolean paused;
    private long played;
    private final List<Action> actions = new ArrayList<>();

    private RoomEcho echo = new RoomEcho();
    private final short[] playing = new short[FRAME];
    private final float[] mic = new float[FRAME];
    private float noiseAmplitude;

    // The user's microphone.
    private short[] user;
    private int userPos;
    private int userOnset;
    private long userOnsetNanos = -1;

    private volatile TransportListener listener;
    private volatile boolean running;
    private Thread thread;

    EchoRoom(Clock clock, long seed) {
        this.clock = clock;
        this.random = new Random(seed);
    }

    /**
     * Sets the room: echo {@code levelDb} relative to the played audio (e.g. -10), arriving
     * {@code delayMs} after playout, reverberating with {@code rt60Ms}; no echo if {@code levelDb}
     * is NaN. Noise at {@code noiseDbfs} RMS, none if NaN.
     */
    synchronized void room(double levelDb, int delayMs, int rt60Ms, double noiseDbfs) {
        this.noiseAmplitude = Double.isNaN(noiseDbfs) ? 0f : (float) (Math.pow(10, noiseDbfs / 20) * 32768 * Math.sqrt(3));
        this.echo = Double.isNaN(levelDb) ? new RoomEcho() : new RoomEcho(levelDb, delayMs, rt60Ms, random);
    }

    /** The user starts speaking {@code pcm} on the next frame; its true onset is recorded when captured. */
    synchronized void say(Recordings.Clip clip) {
        this.user = clip.pcm();
        this.userPos = 0;
        this.userOnset = clip.onsetSample();
        this.userOnsetNanos = -1;
    }

    /** Clock nanos when the current user recording's first spoken sample was captured, or -1. */
    synchronized long userOnsetNanos() {
        return userOnsetNanos;
    }

    /** Whether the user's recording has been played into the microphone to its end. */
    synchronized boolean userDone() {
        return user == null;
    }

    synchronized List<Action> actionsSince(long nanos) {
        List<Action> out = new ArrayList<>();
        for (Action a : actions) {
            if (a.nanos() >= nanos) {
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public AudioFormat inputFormat() {
        return FORMAT;
    }

    @Override
    public AudioFormat outputFormat() {
        return FORMAT;
    }

    @Override
    public synchronized void start(TransportListener listener) {
        this.listener = listener;
        if (thread == null) {
            running = true;
            thread = new Thread(this::run, "echo-room");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public synchronized void send(AudioFrame frame) {
        short[] s = frame.samples();
        for (int i = 0; i < frame.length() && size < queue.length; i++) {
            queue[(head + size++) % queue.length] = s[i];
        }
    }

    @Override
    public synchronized void clearPlayback() {
        head = 0;
        size = 0;
        actions.add(new Action("clear", clock.nanoTime()));
    }

    @Override
    public boolean canPause() {
        return true;
    }

    @Override
    public synchronized void pausePlayback() {
        paused = true;
        actions.add(new Action("pause", clock.nanoTime()));
    }

    @Override
    public synchronized void resumePlayback() {
        paused = false;
        actions.add(new Action("resume", clock.nanoTime()));
    }

    @Override
    public synchronized long playedSamples() {
        return played;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        AudioFrame mic = AudioFrame.allocate(FORMAT, FRAME);
        long next = clock.nanoTime() + FRAME_NANOS;
        while (running) {
            long wait = next - clock.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            next += FRAME_NANOS;
            long now = clock.nanoTime();
            tick(mic.samples(), now);
            mic.setLength(FRAME);
            mic.setTimestampNanos(now - FRAME_NANOS);
            TransportListener l = listener;
            if (l != null) {
                l.onAudio(mic);
            }
        }
    }

    /** Plays 20 ms and fills one microphone frame whose last sample is captured at {@code now}. */
    private synchronized void tick(short[] out, long now) {
        int n = 0;
        while (n < FRAME && !paused && size > 0) {
            playing[n++] = queue[head];
            head = (head + 1) % queue.length;
            size--;
        }
        played += n;
        java.util.Arrays.fill(playing, n, FRAME, (short) 0);
        java.util.Arrays.fill(mic, 0f);
        echo.process(playing, FRAME, mic);
        for (int i = 0; i < FRAME; i++) {
            float v = mic[i];
            if (user != null) {
                if (userPos == userOnset && userOnsetNanos < 0) {
                    userOnsetNanos = now - FORMAT.nanosFor(FRAME - 1 - i);
                }
                v += user[userPos++];
                if (userPos == user.length) {
                    user = null;
                }
            }
            if (noiseAmplitude > 0) {
                v += (random.nextFloat() * 2 - 1) * noiseAmplitude;
            }
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
    }
}
