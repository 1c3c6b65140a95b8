package io.parley.group;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.prosody.Prosody;
import io.parley.audio.prosody.ProsodyTracker;
import io.parley.session.ErrorCode;
import io.parley.session.HeardAudio;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.UserTurn;
import io.parley.spi.SttListener;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import io.parley.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * One participant's listening: their own voice activity detection, recognition stream and
 * {@link UserTurn}. Audio is handled on the caller's thread (no copy, no hop); speech onsets
 * and offsets, recognition results and the turn's decisions happen on the group's loop.
 */
final class Ear implements SttListener, UserTurn.Listener {

    /** VAD probability above which a frame certainly holds voice, as on a session's inbound path. */
    private static final float VOICED = 0.5f;

    private final GroupSession group;
    private final Participant participant;
    private final AudioFormat format;
    private final Vad vad;
    /** How the participant's voice ends, for the turn detector; null without a VAD. */
    private final ProsodyTracker prosody;
    private final Clock clock;
    private final Executor loop;
    private final UserTurn turn;
    /** Silence heard and audio arrivals, so late audio does not end the participant's turn. */
    private final HeardAudio heard = new HeardAudio();
    private volatile SttStream stt;
    private AudioFrame scratch;
    /** A 20 ms slice of longer audio, for the VAD; {@link #step} samples, whole channel groups. */
    private final AudioFrame slice;
    private final int step;
    private boolean speaking;
    /** The stream the audio went to, and how much of it (nanoseconds) so far. */
    private SttStream counted;
    private long writtenNanos;
    private long onsets;

    Ear(GroupSession group, Participant participant, AudioFormat format, Vad vad, SessionConfig config,
        LongSupplier turnIds) {
        this.group = group;
        this.participant = participant;
        this.format = format;
        this.vad = vad;
        this.prosody = vad != null ? new ProsodyTracker(format) : null;
        this.clock = group.clock();
        this.loop = group.loop();
        this.scratch = AudioFrame.allocate(format, format.samplesFor(20));
        this.slice = AudioFrame.allocate(format, format.samplesFor(20));
        this.step = slice.capacity() - slice.capacity() % format.channels();
        this.turn = UserTurn.builder(clock, loop, this)
                .config(config)
                .recognizer(new UserTurn.Recognizer() {
                    @Override
                    public boolean finalizeUtterance() {
                        SttStream s = stt;
                        if (s == null) {
                            return false;
                        }
                        s.finalizeUtterance();
                        return true;
                    }

                    // How far the recognizer's results reach, so a turn is not answered from an
                    // interim of a decoder that has not yet heard the rest of the speech.
                    @Override
                    public long publishedNanos() {
                        SttStream s = stt;
                        return s == null ? -1 : s.publishedNanos();
                    }
                })
                .turnIds(turnIds)
                .vadDriven(vad != null)
                .heardAudio(heard)
                .build();
    }

    void stream(SttStream stream) {
        this.stt = stream;
    }

    /** PCM16LE from the participant's connection, stamped with its arrival time. */
    void write(byte[] pcm) {
        if ((pcm.length & 1) != 0) {
            throw new IllegalArgumentException("PCM16LE byte count must be even, was " + pcm.length);
        }
        if (pcm.length / 2 > scratch.capacity()) {
            scratch = AudioFrame.allocate(format, pcm.length / 2);
        }
        write(scratch.readPcm16le(pcm, 0, pcm.length, clock.nanoTime()));
    }

    void write(AudioFrame frame) {
        if (!frame.format().equals(format)) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "expected " + format + " audio, got " + frame.format());
        }
        SttStream s = stt;
        s.write(frame);
        // Where this audio starts on the stream's own timeline (the one its published position
        // and word timings use), so an offset can be placed on it.
        long before = s == counted ? writtenNanos : 0;
        counted = s;
        writtenNanos = before + frame.durationNanos();
        if (vad == null) {
            return;
        }
        // Timestamp this call's audio would have at the stream's position 0.
        long origin = frame.timestampNanos() - before;
        // The VAD decides once per call, so longer audio is classified in 20 ms slices: speech
        // that starts and ends within one call (a client sending what it recorded in one piece)
        // still starts and ends a turn.
        if (frame.length() <= step) {
            listen(frame, origin);
        } else {
            short[] src = frame.samples();
            for (int off = 0; off < frame.length(); off += step) {
                int n = Math.min(step, frame.length() - off);
                System.arraycopy(src, off, slice.samples(), 0, n);
                slice.setLength(n);
                slice.setTimestampNanos(frame.timestampNanos() + format.nanosFor(off));
                listen(slice, origin);
            }
        }
        heard.arrived(clock.nanoTime(), frame.durationNanos());
    }

    private void listen(AudioFrame frame, long origin) {
        VadResult r = vad.process(frame);
        boolean voiced = r.probability() >= VOICED;
        prosody.process(frame, voiced);
        heard.heard(frame.durationNanos(), voiced);
        boolean speech = r.speech();
        if (speech != speaking) {
            speaking = speech;
            long at = frame.timestampNanos();
            if (speech) {
                long seq = ++onsets;
                loop.execute(() -> turn.speechStarted(seq, at));
            } else {
                Prosody ended = prosody.snapshot();
                long heard = at - origin;
                loop.execute(() -> turn.speechEnded(at, ended, heard));
            }
        }
    }

    /** The participant says they are done (push-to-talk released): end the turn without waiting for silence. */
    void endOfSpeech() {
        speaking = false;
        long at = clock.nanoTime();
        // No more audio is coming: the turn's wait runs on the clock.
        heard.ended();
        if (vad != null) {
            vad.reset();
        }
        loop.execute(() -> {
            turn.speechEnded(at);
            turn.endpoint();
        });
    }

    /** Loop only: stop listening; the stream closes on the blocking pool (SPI threading contract). */
    void close() {
        turn.reset();
        SttStream s = stt;
        if (s != null) {
            clock.executeBlocking(s::close);
        }
    }

    // ---- recognizer (any thread) ----

    @Override
    public void onTranscript(Transcript transcript) {
        loop.execute(() -> {
            if (participant.present()) {
                turn.transcript(transcript);
            }
        });
    }

    @Override
    public void onError(SessionException error) {
        group.error(new SessionException(error.code(), "recognition for " + participant.id() + ": "
                + error.getMessage(), error));
    }

    // ---- user turn (loop) ----

    @Override
    public void transcript(long turnId, Transcript t) {
        group.transcript(participant, t);
    }

    @Override
    public void turnCommitted(long turnId, String text, UserTurn.Timing timing) {
        group.spoken(participant, turnId, text);
    }

    @Override
    public void error(SessionException error) {
        group.error(new SessionException(error.code(), participant.id() + ": " + error.getMessage(), error));
    }
}
