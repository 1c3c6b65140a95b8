package io.parley.session;

import io.parley.audio.AudioFrame;
import io.parley.audio.prosody.Prosody;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.TransportListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What flows into a session from outside its loop: inbound audio events, transport events
 * and recognition results. Each posts to the session's loop, where the session's state lives.
 */
final class SessionInputs {

    private static final Logger log = LoggerFactory.getLogger(SessionInputs.class);

    private SessionInputs() {
    }

    /** Events of the inbound audio path; called on the audio thread, so they only post. */
    static final class Inbound implements InboundAudio.Events {
        private final DefaultVoiceSession s;

        Inbound(DefaultVoiceSession s) {
            this.s = s;
        }

        @Override
        public void speechStarted(long onsetSeq, long onsetNanos) {
            s.loop.execute(() -> {
                if (s.running) {
                    s.turn.speechStarted(onsetSeq, onsetNanos);
                    s.idleTimers().speechStarted(onsetSeq);
                }
            });
        }

        @Override
        public void speechEnded(long offsetNanos, Prosody prosody, long heardNanos) {
            s.loop.execute(() -> {
                if (s.running) {
                    s.idleTimers().speechEnded();
                    s.turn.speechEnded(offsetNanos, prosody, heardNanos);
                }
            });
        }

        @Override
        public void maxUtteranceReached() {
            s.loop.execute(s.turnTaking::maxUtteranceReached);
        }

        @Override
        public void error(SessionException error) {
            s.loop.execute(() -> reportWhileRunning(s, error));
        }

        @Override
        public void userAudio(AudioFrame frame) {
            s.events.userAudio(frame);
        }
    }

    /** Transport events; delivered on the transport's threads. */
    static final class TransportEvents implements TransportListener {
        private final DefaultVoiceSession s;
        private final InboundAudio in;

        TransportEvents(DefaultVoiceSession s, InboundAudio in) {
            this.s = s;
            this.in = in;
        }

        @Override
        public void onAudio(AudioFrame frame) {
            // The same as the session running with this path (see InboundAudio.attached), read
            // without touching the session's object.
            if (in.attached()) {
                in.process(frame);
            }
        }

        @Override
        public void onDtmf(char digit, Duration duration) {
            DtmfEvent ev = new DtmfEvent(digit, duration, s.clock.now());
            s.loop.execute(() -> {
                if (s.running) {
                    // A key press is the caller's activity, as speech is.
                    s.touch();
                    s.events.emit(l -> l.onDtmf(ev));
                }
            });
        }

        @Override
        public void onConnected() {
            s.loop.execute(s.idleTimers()::reconnected);
        }

        @Override
        public void onDisconnected(String reason) {
            s.loop.execute(() -> s.idleTimers().disconnected(reason));
        }

        @Override
        public void onError(SessionException error) {
            s.loop.execute(() -> reportWhileRunning(s, error));
        }
    }

    /**
     * Reports a failure from the audio or transport thread; one that reaches the loop after the
     * session stopped (audio processed while it stopped) is logged: listeners hear nothing
     * after ENDED.
     */
    private static void reportWhileRunning(DefaultVoiceSession s, SessionException error) {
        if (s.running) {
            s.reportError(error);
        } else {
            log.info("session {}: after it stopped: {}", s.id, error.getMessage());
        }
    }

    /** The session's side of the recognition stream; called on the loop. */
    static final class Recognition implements RecognizerLink.Host {
        private final DefaultVoiceSession s;

        Recognition(DefaultVoiceSession s) {
            this.s = s;
        }

        @Override
        public boolean wanted() {
            return s.running || s.starting();
        }

        @Override
        public void transcript(Transcript transcript) {
            if (s.running) {
                s.turn.transcript(transcript);
            }
        }

        @Override
        public void adopted(SttStream stream, String provider) {
            s.sessionSpan.setAttribute(Telemetry.STT, provider);
            InboundAudio in = s.inbound();
            if (in != null) {
                in.setStream(stream);
            }
            s.turn.recognizerReplaced();
        }

        @Override
        public void lost() {
            InboundAudio in = s.inbound();
            if (in != null) {
                in.setStream(null);
            }
        }

        @Override
        public void error(SessionException error) {
            s.reportError(error);
        }
    }
}
