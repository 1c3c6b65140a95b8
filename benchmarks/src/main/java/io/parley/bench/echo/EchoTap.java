package io.parley.bench.echo;

import io.parley.audio.AudioFrame;
import io.parley.spi.EchoSuppressor;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Records what an {@link EchoSuppressor} is given and answers in a real session (every far-end
 * chunk, every microphone frame with the detector's verdict, its arrival time and the answer,
 * and the harness's marks), so that a failing run can be replayed through the gate offline
 * ({@link EchoReplay}) exactly as it happened, with the gate's internals traced. For diagnosis:
 * it writes on the audio thread.
 */
final class EchoTap implements EchoSuppressor {

    static final byte FAR = 'F';
    static final byte NEAR = 'N';
    static final byte MARK = 'M';

    private final EchoSuppressor inner;
    private final DataOutputStream out;

    EchoTap(EchoSuppressor inner, Path file) {
        this.inner = inner;
        try {
            this.out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(file.toFile()), 1 << 20));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void played(AudioFrame farEnd) {
        try {
            out.writeByte(FAR);
            out.writeLong(System.nanoTime());
            writeSamples(farEnd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        inner.played(farEnd);
    }

    @Override
    public synchronized boolean userSpeech(AudioFrame nearEnd, boolean voice) {
        boolean user = inner.userSpeech(nearEnd, voice);
        try {
            out.writeByte(NEAR);
            out.writeLong(System.nanoTime());
            out.writeBoolean(voice);
            out.writeBoolean(user);
            writeSamples(nearEnd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return user;
    }

    @Override
    public synchronized void reset() {
        mark("reset");
        inner.reset();
    }

    /** A harness event at clock time now (a trial starting, a pause, a cut). */
    synchronized void mark(String what) {
        mark(System.nanoTime(), what);
    }

    synchronized void mark(long nanos, String what) {
        try {
            out.writeByte(MARK);
            out.writeLong(nanos);
            out.writeUTF(what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeSamples(AudioFrame f) throws IOException {
        out.writeShort(f.length());
        short[] s = f.samples();
        for (int i = 0; i < f.length(); i++) {
            out.writeShort(s[i]);
        }
    }
}
