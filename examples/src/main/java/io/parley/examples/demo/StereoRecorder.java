package io.parley.examples.demo;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.session.AudioListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Records both sides of the call on one timeline: the caller as the session heard it and the
 * agent as the caller heard it. Agent audio is handed over slightly ahead of real time, so it is
 * laid end to end from its handover time the way a playout queue plays it, and audio cleared at a
 * barge-in is removed from the point it was cleared.
 */
final class StereoRecorder implements AudioListener {

    private final long startNanos;
    private final int rate;
    private short[] caller = new short[16_000 * 60];
    private short[] agent = new short[16_000 * 60];
    private int callerEnd;
    /** End of the agent's queued audio: the next agent frame plays from here at the earliest. */
    private int agentCursor;

    /**
     * @param startNanos session clock time of sample zero
     * @param format     the session's (mono) audio format
     */
    StereoRecorder(long startNanos, AudioFormat format) {
        if (format.channels() != 1) {
            throw new IllegalArgumentException("the recorder takes mono audio, got " + format);
        }
        this.startNanos = startNanos;
        this.rate = format.sampleRate();
    }

    @Override
    public synchronized void onUserAudio(AudioFrame frame) {
        int at = position(frame.timestampNanos());
        caller = ensure(caller, at + frame.length());
        System.arraycopy(frame.samples(), 0, caller, at, frame.length());
        callerEnd = Math.max(callerEnd, at + frame.length());
    }

    @Override
    public synchronized void onAgentAudio(AudioFrame frame) {
        int at = Math.max(agentCursor, position(frame.timestampNanos()));
        agent = ensure(agent, at + frame.length());
        System.arraycopy(frame.samples(), 0, agent, at, frame.length());
        agentCursor = at + frame.length();
    }

    @Override
    public synchronized void onAgentAudioCleared(long atNanos) {
        int at = position(atNanos);
        if (at < agentCursor) {
            Arrays.fill(agent, at, agentCursor, (short) 0);
            agentCursor = at;
        }
    }

    /** Writes {@code conversation.wav} (left caller, right agent) and {@code agent.wav}; returns the duration in ms. */
    synchronized long write(Path conversation, Path agentOnly) throws IOException {
        int n = Math.max(callerEnd, agentCursor);
        short[] stereo = new short[2 * n];
        for (int i = 0; i < n; i++) {
            stereo[2 * i] = i < caller.length ? caller[i] : 0;
            stereo[2 * i + 1] = i < agent.length ? agent[i] : 0;
        }
        Wav.write(conversation, new AudioFormat(rate, 2), stereo);
        Wav.write(agentOnly, new AudioFormat(rate, 1), Arrays.copyOf(agent, n));
        return n * 1000L / rate;
    }

    private int position(long nanos) {
        return (int) Math.max(0, (nanos - startNanos) * rate / 1_000_000_000L);
    }

    private static short[] ensure(short[] a, int size) {
        return size <= a.length ? a : Arrays.copyOf(a, Math.max(size, a.length * 2));
    }
}
