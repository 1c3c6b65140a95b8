package io.parley.group;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;

/**
 * One participant's listening: their own voice activity detection and recognition stream.
 * Audio is handled on the caller's thread (no copy, no hop); the end of an utterance is
 * decided from the audio itself, {@code endpointNanos} of non-speech after speech, so the
 * decision is the same in virtual and real time. Recognition results go to the event loop.
 */
final class Ear implements SttListener {

    private final GroupSession session;
    private final AudioFormat format;
    private final Vad vad;
    private final long endpointNanos;
    private volatile SttStream stt;
    private volatile Participant participant;
    private AudioFrame scratch;
    private long samplesIn;
    private boolean heardSpeech;
    private long silenceNanos;

    Ear(GroupSession session, AudioFormat format, Vad vad, long endpointNanos) {
        this.session = session;
        this.format = format;
        this.vad = vad;
        this.endpointNanos = endpointNanos;
        this.scratch = AudioFrame.allocate(format, format.samplesFor(20));
    }

    void participant(Participant p) {
        this.participant = p;
    }

    void stream(SttStream stream) {
        this.stt = stream;
    }

    void write(byte[] pcm) {
        if ((pcm.length & 1) != 0) {
            throw new IllegalArgumentException("PCM16LE byte count must be even, was " + pcm.length);
        }
        if (pcm.length / 2 > scratch.capacity()) {
            scratch = AudioFrame.allocate(format, pcm.length / 2);
        }
        write(scratch.readPcm16le(pcm, 0, pcm.length, format.nanosFor(samplesIn / format.channels())));
    }

    void write(AudioFrame frame) {
        if (!frame.format().equals(format)) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "expected " + format + " audio, got " + frame.format());
        }
        samplesIn += frame.length();
        stt.write(frame);
        if (vad == null) {
            return;
        }
        VadResult r = vad.process(frame);
        if (r.speech()) {
            heardSpeech = true;
            silenceNanos = 0;
        } else if (heardSpeech) {
            silenceNanos += frame.durationNanos();
            if (silenceNanos >= endpointNanos) {
                endOfSpeech();
            }
        }
    }

    void endOfSpeech() {
        heardSpeech = false;
        silenceNanos = 0;
        // The loop must know a final is awaited before the recognizer can answer with it.
        session.awaitFinal(participant);
        stt.finalizeUtterance();
    }

    void close() {
        SttStream s = stt;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public void onTranscript(Transcript transcript) {
        session.transcript(participant, transcript);
    }

    @Override
    public void onError(SessionException error) {
        session.error(new SessionException(error.code(), "recognition for " + participant.id() + ": "
                + error.getMessage(), error));
    }
}
