package io.parley.providers.local.stt;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Word;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One PocketSphinx decoder fed from a ring buffer by its own thread. {@link #write} only copies
 * samples into the ring; the decoding thread pulls 20 ms chunks, publishes interim hypotheses and
 * ends an utterance exactly at the sample position where {@link #finalizeUtterance()} was called.
 */
final class PocketSphinxStream implements SttStream {

    static final int DECODER_RATE = 16_000;
    private static final int CHUNK = DECODER_RATE / 50;
    private static final long FRAME_NANOS = 10_000_000L;
    private static final long JOIN_MILLIS = 5_000;

    private final SphinxLibrary lib;
    private final SttListener listener;
    private final String language;
    private final int interimSamples;
    private final Thread worker;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final short[] ring;
    private long written;
    private long taken;
    private final ArrayDeque<Long> finalizeAt = new ArrayDeque<>();
    private boolean closed;
    private boolean overflowed;

    // Decoder-thread state.
    private Pointer decoder;
    private final short[] chunk = new short[CHUNK];
    private final IntByReference score = new IntByReference();
    private final IntByReference startFrame = new IntByReference();
    private final IntByReference endFrame = new IntByReference();
    private boolean inUtterance;
    private long decoded;
    private long utteranceStart;
    private long sinceInterim;
    private String lastInterim = "";
    private boolean failed;

    PocketSphinxStream(SphinxLibrary lib, Pointer decoder, SttRequest request, SttListener listener,
                       Duration interimInterval, Duration maxBacklog, String language) {
        this.lib = lib;
        this.decoder = decoder;
        this.listener = listener;
        this.language = language;
        this.interimSamples = (int) Math.min(Integer.MAX_VALUE, interimInterval.toMillis() * DECODER_RATE / 1000);
        this.ring = new short[Math.toIntExact(maxBacklog.toMillis() * DECODER_RATE / 1000)];
        this.worker = new Thread(this::run, "parley-pocketsphinx-" + request.sessionId());
        worker.setDaemon(true);
        worker.start();
    }

    static void checkFormat(AudioFormat format) {
        if (format.channels() != 1) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "PocketSphinx needs mono audio, got "
                    + format.channels() + " channels");
        }
        if (format.sampleRate() != DECODER_RATE) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "PocketSphinx's en-us model needs 16000 Hz audio, got "
                    + format.sampleRate() + " Hz");
        }
    }

    @Override
    public void write(AudioFrame frame) {
        int n = frame.length();
        short[] src = frame.samples();
        lock.lock();
        try {
            if (closed || overflowed) {
                return;
            }
            if (written + n - taken > ring.length) {
                // Reported by the decoding thread, which owns the listener.
                overflowed = true;
                changed.signal();
                return;
            }
            int pos = (int) (written % ring.length);
            int first = Math.min(n, ring.length - pos);
            System.arraycopy(src, 0, ring, pos, first);
            System.arraycopy(src, first, ring, 0, n - first);
            written += n;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void finalizeUtterance() {
        lock.lock();
        try {
            if (!closed) {
                finalizeAt.addLast(written);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != worker) {
            try {
                worker.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (true) {
                int n;
                boolean finalizeNow;
                boolean finished;
                lock.lock();
                try {
                    while (!overflowed && !closed && written == taken && finalizeAt.isEmpty()) {
                        changed.await();
                    }
                    if (overflowed) {
                        fail(new SessionException(ErrorCode.STT_ERROR, "PocketSphinx fell " + ring.length / DECODER_RATE
                                + " s behind the audio it was given; the machine is too slow or overloaded for real time"));
                        return;
                    }
                    long limit = finalizeAt.isEmpty() ? written : finalizeAt.peekFirst();
                    n = (int) Math.min(CHUNK, limit - taken);
                    int pos = (int) (taken % ring.length);
                    int first = Math.min(n, ring.length - pos);
                    System.arraycopy(ring, pos, chunk, 0, first);
                    System.arraycopy(ring, 0, chunk, first, n - first);
                    taken += n;
                    finalizeNow = !finalizeAt.isEmpty() && finalizeAt.peekFirst() == taken;
                    if (finalizeNow) {
                        finalizeAt.pollFirst();
                    }
                    finished = closed && taken == written && finalizeAt.isEmpty();
                } finally {
                    lock.unlock();
                }
                if (n > 0 && !decode(n)) {
                    return;
                }
                if ((finalizeNow || (finished && inUtterance)) && !endUtterance()) {
                    return;
                }
                if (finished) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(SessionException.wrap(ErrorCode.STT_ERROR, e));
        } finally {
            release();
        }
    }

    private boolean decode(int n) {
        if (!inUtterance) {
            if (lib.ps.ps_start_utt(decoder) < 0) {
                fail(new SessionException(ErrorCode.STT_ERROR, "pocketsphinx could not start an utterance"));
                return false;
            }
            inUtterance = true;
            utteranceStart = decoded;
            sinceInterim = 0;
            lastInterim = "";
        }
        if (lib.ps.ps_process_raw(decoder, chunk, new NativeLong(n), 0, 0) < 0) {
            fail(new SessionException(ErrorCode.STT_ERROR, "pocketsphinx failed to decode audio"));
            return false;
        }
        decoded += n;
        sinceInterim += n;
        if (interimSamples > 0 && sinceInterim >= interimSamples) {
            sinceInterim = 0;
            String hyp = hypothesis();
            if (!hyp.isEmpty() && !hyp.equals(lastInterim)) {
                lastInterim = hyp;
                listener.onTranscript(Transcript.interim(hyp));
            }
        }
        return true;
    }

    private boolean endUtterance() {
        String text = "";
        List<Word> words = List.of();
        if (inUtterance) {
            inUtterance = false;
            if (lib.ps.ps_end_utt(decoder) < 0) {
                fail(new SessionException(ErrorCode.STT_ERROR, "pocketsphinx could not end the utterance"));
                return false;
            }
            text = hypothesis();
            words = words();
        }
        listener.onTranscript(new Transcript(text, true, true, Double.NaN, words, language));
        return true;
    }

    private String hypothesis() {
        String hyp = lib.ps.ps_get_hyp(decoder, score);
        return hyp == null ? "" : hyp.trim();
    }

    /** Word segments of the best path, without silences, fillers and pronunciation variants. */
    private List<Word> words() {
        List<Word> out = new ArrayList<>();
        long baseNanos = utteranceStart * 1_000_000_000L / DECODER_RATE;
        for (Pointer seg = lib.ps.ps_seg_iter(decoder); seg != null; seg = lib.ps.ps_seg_next(seg)) {
            String w = lib.ps.ps_seg_word(seg);
            if (w == null || w.isEmpty() || w.startsWith("<") || w.startsWith("[") || w.startsWith("+")) {
                continue;
            }
            int paren = w.indexOf('(');
            if (paren > 0) {
                w = w.substring(0, paren);
            }
            lib.ps.ps_seg_frames(seg, startFrame, endFrame);
            long start = baseNanos + startFrame.getValue() * FRAME_NANOS;
            long end = baseNanos + (endFrame.getValue() + 1L) * FRAME_NANOS;
            out.add(new Word(w, Duration.ofNanos(start), Duration.ofNanos(Math.max(start, end)), Double.NaN, -1));
        }
        return out;
    }

    private void fail(SessionException e) {
        if (!failed) {
            failed = true;
            listener.onError(e);
        }
    }

    private void release() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        if (decoder != null) {
            if (inUtterance) {
                lib.ps.ps_end_utt(decoder);
            }
            lib.ps.ps_free(decoder);
            decoder = null;
        }
    }
}
