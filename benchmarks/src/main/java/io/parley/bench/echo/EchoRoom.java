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
 * 20 ms frames are delivered on the same thread at real-time pace, or, with {@link #bursts},
 * held back now and then and delivered in a burst, as a busy audio thread, a WebRTC jitter
 * buffer or a telephony gateway delivers them; the burst model has its own seed, so it does
 * not depend on the machine's load.
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
    /** When the next 20 ms tick is due (clock nanos); ticks run late while the thread waits for a CPU. */
    private long nextTick;
    private final List<Action> actions = new ArrayList<>();

    /**
     * What the speaker played while each of the last {@value #TRUTH} microphone frames was
     * captured, by the frame's timestamp: the far end perfectly aligned, for {@link OnsetProbe}'s
     * shadow gate. Written and read on the room's thread.
     */
    static final int TRUTH = 128;
    private final short[][] truth = new short[TRUTH][FRAME];
    private final long[] truthStamp = new long[TRUTH];

    private RoomEcho echo = new RoomEcho();
    private final short[] playing = new short[FRAME];
    private final float[] mic = new float[FRAME];
    private float noiseAmplitude;

    // The user's microphone.
    private short[] user;
    private int userPos;
    private int userOnset;
    private long userOnsetNanos = -1;
    /** Microphone frames captured and delivered so far, and the one holding the user's onset. */
    private long capturedFrames;
    private long deliveredFrames;
    private volatile long onsetFrame = -1;
    private volatile long userOnsetArrivalNanos = -1;

    // Bursty delivery: frames captured while a hold lasts wait in held[], stamped with their
    // capture time, and go to the listener together when it ends.
    private Random burstRandom;
    private double burstChance;
    private int burstMaxFrames;
    private final AudioFrame[] held = new AudioFrame[64];
    private int heldCount;
    private int holdLeft;

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

    /**
     * Delivers microphone frames in bursts: before each frame, with probability {@code chance}
     * a hold of 2 to {@code maxMillis} (uniform, in 20 ms frames) starts; the frames captured
     * meanwhile are delivered at once when it ends. Call before {@link #start}.
     */
    synchronized void bursts(double chance, int maxMillis, long seed) {
        if (!(chance >= 0 && chance < 1) || maxMillis < 40 || maxMillis / 20 > held.length) {
            throw new IllegalArgumentException("burst chance must be within [0, 1) and its length 40.." + held.length * 20 + " ms");
        }
        this.burstChance = chance;
        this.burstMaxFrames = maxMillis / 20;
        this.burstRandom = new Random(seed);
        for (int i = 0; i < held.length; i++) {
            held[i] = AudioFrame.allocate(FORMAT, FRAME);
        }
    }

    /** The user starts speaking {@code pcm} on the next frame; its true onset is recorded when captured. */
    synchronized void say(Recordings.Clip clip) {
        this.user = clip.pcm();
        this.userPos = 0;
        this.userOnset = clip.onsetSample();
        this.userOnsetNanos = -1;
        this.onsetFrame = -1;
        this.userOnsetArrivalNanos = -1;
    }

    /** Clock nanos when the current user recording's first spoken sample was captured, or -1. */
    synchronized long userOnsetNanos() {
        return userOnsetNanos;
    }

    /**
     * Clock nanos when the microphone frame holding the current user recording's first spoken
     * sample reached the session (later than its capture when it was held back), or -1.
     */
    long userOnsetArrivalNanos() {
        return userOnsetArrivalNanos;
    }

    /**
     * What the speaker played while the microphone frame stamped {@code timestampNanos} was
     * captured, or null if that frame is no longer kept. Only on the thread frames are delivered on.
     */
    short[] playedDuring(long timestampNanos) {
        for (int k = 0; k < TRUTH; k++) {
            if (truthStamp[k] == timestampNanos) {
                return truth[k];
            }
        }
        return null;
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

    /**
     * What the speaker has played by now. A device plays on while the thread that simulates it
     * waits for a CPU, and that thread's late ticks then produce the sound (and its echo) of
     * those 20 ms stretches, so ticks already due count as played: otherwise, under load, the
     * session would be told nothing played during a stall whose echo the microphone then carries.
     */
    @Override
    public synchronized long playedSamples() {
        long late = clock.nanoTime() - nextTick;
        if (paused || late < 0) {
            return played;
        }
        return played + Math.min(size, (late / FRAME_NANOS + 1) * FRAME);
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
        synchronized (this) {
            nextTick = next;
        }
        while (running) {
            long wait = next - clock.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            next += FRAME_NANOS;
            long now = clock.nanoTime();
            tick(mic.samples(), now, next);
            mic.setLength(FRAME);
            mic.setTimestampNanos(now - FRAME_NANOS);
            int t = (int) ((capturedFrames - 1) % TRUTH);
            System.arraycopy(playing, 0, truth[t], 0, FRAME);
            truthStamp[t] = now - FRAME_NANOS;
            deliver(mic);
        }
    }

    /** Hands a captured frame to the listener now, or holds it back for a burst. */
    private void deliver(AudioFrame captured) {
        TransportListener l = listener;
        if (burstRandom != null) {
            if (holdLeft == 0 && burstRandom.nextDouble() < burstChance) {
                holdLeft = 2 + burstRandom.nextInt(burstMaxFrames - 1);
            }
            if (holdLeft > 0) {
                AudioFrame h = held[heldCount++];
                System.arraycopy(captured.samples(), 0, h.samples(), 0, captured.length());
                h.setLength(captured.length());
                h.setTimestampNanos(captured.timestampNanos());
                if (--holdLeft > 0) {
                    return;
                }
                // The hold is over: everything captured during it arrives at once.
                for (int i = 0; i < heldCount; i++) {
                    handOver(l, held[i]);
                }
                heldCount = 0;
                return;
            }
        }
        handOver(l, captured);
    }

    private void handOver(TransportListener l, AudioFrame frame) {
        if (deliveredFrames++ == onsetFrame) {
            userOnsetArrivalNanos = clock.nanoTime();
        }
        if (l != null) {
            l.onAudio(frame);
        }
    }

    /** Plays 20 ms and fills one microphone frame whose last sample is captured at {@code now}; the tick after it is due at {@code nextDue}. */
    private synchronized void tick(short[] out, long now, long nextDue) {
        nextTick = nextDue;
        long frameSeq = capturedFrames++;
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
                    onsetFrame = frameSeq;
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
