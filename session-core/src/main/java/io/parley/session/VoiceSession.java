package io.parley.session;

import io.opentelemetry.api.OpenTelemetry;
import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.ConversationTurn;
import io.parley.spi.EchoCanceller;
import io.parley.spi.EchoSuppressor;
import io.parley.spi.ExpectedAnswer;
import io.parley.spi.NoiseCanceller;
import io.parley.spi.SttProvider;
import io.parley.spi.Transport;
import io.parley.spi.TtsProvider;
import io.parley.spi.TurnDetector;
import io.parley.spi.VadProvider;
import io.parley.text.speech.SpeechText;
import io.parley.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A real-time voice conversation between a user and an agent: audio in, turn-taking,
 * barge-in, the agent's reply, audio out.
 *
 * <pre>{@code
 * VoiceSession session = VoiceSession.builder()
 *         .stt(stt).tts(tts).vad(vad).transport(transport)
 *         .agent((ctx, text) -> "You said: " + text)
 *         .build();
 * session.start();
 * session.say("Hello!").awaitPlayout(Duration.ofSeconds(10));
 * session.stop();
 * }</pre>
 *
 * <p>All methods are thread-safe and non-blocking unless documented otherwise. Each session
 * runs its logic on one serialized event loop, multiplexed with other sessions on the
 * {@link Clock}'s small shared pool.
 */
public interface VoiceSession extends AutoCloseable {

    /** A builder for a new session. */
    static Builder builder() {
        return new Builder();
    }

    /** The session id (from {@link SessionConfig#sessionId()}). */
    String id();

    /** The current state. */
    SessionState state();

    /** The configuration in force. */
    SessionConfig config();

    /**
     * Opens the providers and transport and starts listening; blocks until listening.
     * Also restarts an ENDED session.
     *
     * @throws SessionException {@link ErrorCode#SESSION_ALREADY_ACTIVE} if running, or the
     *                          provider error that prevented the start
     */
    void start();

    /** Like {@link #start()} without blocking. */
    CompletableFuture<Void> startAsync();

    /**
     * Ends the session from any state: cancels the agent and speech, releases providers and
     * transport, cancels timers. Blocks until done. Idempotent.
     */
    void stop();

    /** Like {@link #stop()} without blocking. */
    CompletableFuture<Void> stopAsync();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }

    /**
     * Feeds user audio, for hosts without a {@link Transport}. Call from one thread at a time.
     *
     * @throws SessionException {@link ErrorCode#SESSION_NOT_ACTIVE} if not running, or
     *                          {@link ErrorCode#INVALID_AUDIO} if the format is not the input format
     */
    void processAudio(AudioFrame frame);

    /**
     * Feeds PCM16LE user audio in the input format.
     *
     * @throws IllegalArgumentException on an odd byte count or a partial channel group
     * @throws SessionException         as {@link #processAudio(AudioFrame)}
     */
    void processAudio(byte[] pcm16le);

    /**
     * A user turn typed instead of spoken: the agent answers it like a spoken turn, spoken
     * too unless {@link SessionConfig#speakTextReplies()} is false. Same as
     * {@code respond(text).text()}; use {@link #respond(String)} to wait until the reply was
     * heard.
     *
     * @return the agent's complete reply text
     * @throws IllegalArgumentException if {@code text} is null or blank
     */
    CompletableFuture<String> sendText(String text);

    /**
     * A user turn typed instead of spoken, like {@link #sendText(String)}, returning the handle
     * of the agent's reply: {@code respond(text).awaitPlayout(timeout)} returns once the reply
     * was spoken (at once, with nothing played, if replies to text are not spoken).
     *
     * @throws IllegalArgumentException if {@code text} is null or blank
     */
    SpeechHandle respond(String text);

    /**
     * Makes the agent speak without a user turn (first, or on demand), through the same path
     * as a reply to one: the agent is called with an empty transcript and
     * {@link AgentContext#instructions()} set to {@code instructions}, and its reply is spoken
     * after any speech already playing is cut. A turn id is allocated for the reply.
     *
     * @param instructions what the reply should do, e.g. "greet the caller"; may be empty
     * @return the reply's handle
     * @throws IllegalArgumentException if {@code instructions} is null
     */
    SpeechHandle generateReply(String instructions);

    /**
     * Speaks {@code text}, after any speech already queued.
     *
     * @throws IllegalArgumentException if {@code text} is null
     */
    default PlaybackHandle say(String text) {
        return say(text, SayOptions.DEFAULT);
    }

    /**
     * Speaks {@code text} as configured, after any speech already queued.
     *
     * @throws IllegalArgumentException if {@code text} or {@code options} is null
     * @throws SessionException         {@link ErrorCode#SESSION_NOT_ACTIVE} if not running
     */
    PlaybackHandle say(String text, SayOptions options);

    /**
     * Tells the session what the agent expects the user to say next, typically right after
     * asking for it ("What's your phone number?"): with {@link ExpectedAnswer#digits()}, a turn
     * holding only part of a number is not ended at the pauses between its groups, and a
     * recognizer that can (PocketSphinx, with a digit grammar) listens for digits only; with
     * {@link ExpectedAnswer#date()}, a month is not ended before its day. It holds
     * until a user turn that began after it was set is answered, then the session goes back to
     * {@link ExpectedAnswer#ANY}: an agent that sets it while replying, even to a turn still
     * open (preemptive generation), sets it for the user's answer to that reply; a turn the user
     * went on with after the agent was called, which the session carries back, keeps it.
     * Thread-safe; takes effect on the session's event loop, for the pauses still to be judged.
     *
     * @throws IllegalArgumentException if {@code answer} is null
     */
    void expect(ExpectedAnswer answer);

    /**
     * Cuts off the agent (current and queued speech, pending generation), as a barge-in would.
     * Speech said with {@code allowInterruptions=false} that is already playing plays on; cancel
     * its handle to stop it.
     */
    void interrupt();

    /**
     * Mixes {@code clip} into the agent's outbound audio (under whatever the agent says, or on
     * its own between speeches) until the handle is stopped, the clip ends (when not looping)
     * or the session stops: a "thinking" sound while a slow tool runs, or ambience. The clip is
     * converted to the output format once, on the calling thread; mixing allocates nothing.
     * A barge-in drops the background audio already handed to the transport along with the
     * agent's; the clip itself plays on until stopped.
     *
     * @throws IllegalArgumentException if {@code clip} or {@code options} is null, or the clip is empty
     * @throws SessionException         {@link ErrorCode#SESSION_NOT_ACTIVE} if not running
     */
    BackgroundHandle playBackground(AudioClip clip, BackgroundOptions options);

    /** Completed turns, oldest first; interrupted agent turns hold only what was played. */
    List<ConversationTurn> history();

    /**
     * Registers a listener; events from now on reach it.
     *
     * @throws IllegalArgumentException if {@code listener} is null
     */
    void addListener(SessionListener listener);

    /** Unregisters a listener. */
    void removeListener(SessionListener listener);

    /**
     * Registers an audio listener (costs one copy per frame while registered).
     *
     * @throws IllegalArgumentException if {@code listener} is null
     */
    void addAudioListener(AudioListener listener);

    /** Unregisters an audio listener. */
    void removeAudioListener(AudioListener listener);

    /**
     * Configures and builds a {@link VoiceSession}. Speech-to-text, text-to-speech and an
     * agent are required; the rest is optional. Every setter refuses null with
     * {@link IllegalArgumentException}.
     */
    final class Builder {
        final List<SttProvider> stt = new ArrayList<>();
        final List<TtsProvider> tts = new ArrayList<>();
        VadProvider vad;
        TurnDetector turnDetector;
        Transport transport;
        NoiseCanceller noiseCanceller;
        EchoSuppressor echoSuppressor;
        EchoCanceller echoCanceller;
        StreamingAgent agent;
        final List<SessionListener> listeners = new ArrayList<>();
        final List<AudioListener> audioListeners = new ArrayList<>();
        SessionConfig config = SessionConfig.defaults();
        OpenTelemetry openTelemetry = OpenTelemetry.noop();
        Clock clock = Clock.system();
        AudioFormat inputFormat = AudioFormat.PCM_16K_MONO;
        AudioFormat outputFormat = AudioFormat.PCM_16K_MONO;
        String voice = "";
        SpeechText speechText = SpeechText.none();

        Builder() {
        }

        /** Speech-to-text: a primary provider and fallbacks used in order while it is unavailable. */
        public Builder stt(SttProvider primary, SttProvider... fallbacks) {
            stt.clear();
            stt.add(arg(primary, "stt"));
            arg(fallbacks, "stt fallbacks");
            for (SttProvider p : fallbacks) {
                stt.add(arg(p, "stt fallback"));
            }
            return this;
        }

        /** Text-to-speech: a primary provider and fallbacks used in order while it is unavailable. */
        public Builder tts(TtsProvider primary, TtsProvider... fallbacks) {
            tts.clear();
            tts.add(arg(primary, "tts"));
            arg(fallbacks, "tts fallbacks");
            for (TtsProvider p : fallbacks) {
                tts.add(arg(p, "tts fallback"));
            }
            return this;
        }

        /**
         * Voice activity detection (recommended). Without it, every frame goes to the
         * recognizer and its results are the only sign of speech: the first words start the
         * user's speech, and a result marked {@code speechFinal} (the recognizer's own
         * endpointing, e.g. Deepgram's) ends it. A recognizer that never ends utterances by
         * itself (e.g. an offline one between finalize requests) is taken as silent once its
         * results stop for {@link SessionConfig#endpointingMaxDelay()}, so turns still end,
         * only later than with a VAD.
         */
        public Builder vad(VadProvider vad) {
            this.vad = arg(vad, "vad");
            return this;
        }

        /** Turn detection; without it, a turn ends after {@link SessionConfig#endpointingMinDelay()} of silence. */
        public Builder turnDetector(TurnDetector turnDetector) {
            this.turnDetector = arg(turnDetector, "turnDetector");
            return this;
        }

        /** Where audio comes from and goes to; without it, use {@code processAudio} and an {@link AudioListener}. */
        public Builder transport(Transport transport) {
            this.transport = arg(transport, "transport");
            return this;
        }

        /** Noise cancellation before VAD and recognition. */
        public Builder noiseCancellation(NoiseCanceller noiseCanceller) {
            this.noiseCanceller = arg(noiseCanceller, "noiseCancellation");
            return this;
        }

        /**
         * Echo suppression [none]: keeps the agent's own voice, returning through the user's
         * microphone (speakerphones, kiosks, phone lines), from counting as user speech and
         * barging in, while the user talking over the agent still does. The session feeds it
         * its outbound audio as it is played out; e.g. {@code EchoGate.create()} from
         * {@code io.parley.audio.echo}. It judges the voice activity detector's verdicts, so it
         * needs a {@link #vad VAD}. Unneeded with headsets and with browsers whose own echo
         * cancellation is on.
         */
        public Builder echoSuppression(EchoSuppressor echoSuppressor) {
            this.echoSuppressor = arg(echoSuppressor, "echoSuppression");
            return this;
        }

        /**
         * Echo cancellation [none]: removes the agent's own voice, returning through the user's
         * microphone, from inbound audio before noise cancellation, voice activity detection and
         * recognition, so the user talking over the agent is heard at their own level and the
         * echo never reaches the recognizer. The session feeds it its outbound audio as it is
         * played out, paired with each inbound frame by media time; e.g.
         * {@code WebRtcEchoCanceller.create()} from {@code parley-echo-webrtc}. One instance per
         * session; the session closes it when it stops. Combine it with
         * {@link #echoSuppression} to also judge what the canceller leaves.
         */
        public Builder echoCancellation(EchoCanceller echoCanceller) {
            this.echoCanceller = arg(echoCanceller, "echoCancellation");
            return this;
        }

        /** A whole-reply agent. */
        public Builder agent(AgentCallback callback) {
            arg(callback, "agent");
            this.agent = new CallbackAgent(callback);
            return this;
        }

        /** A streaming agent. */
        public Builder streamingAgent(StreamingAgent agent) {
            this.agent = arg(agent, "streamingAgent");
            return this;
        }

        /** Shorthand for a listener that only observes state changes. */
        public Builder onStateChanged(Consumer<StateChange> onChange) {
            arg(onChange, "onStateChanged");
            listeners.add(new SessionListener() {
                @Override
                public void onStateChanged(StateChange change) {
                    onChange.accept(change);
                }
            });
            return this;
        }

        /** Registers a listener before start, so no event is missed. */
        public Builder listener(SessionListener listener) {
            listeners.add(arg(listener, "listener"));
            return this;
        }

        /** Registers an audio listener before start. */
        public Builder audioListener(AudioListener listener) {
            audioListeners.add(arg(listener, "audioListener"));
            return this;
        }

        /** Behaviour settings; {@link SessionConfig#defaults()} if not given. */
        public Builder config(SessionConfig config) {
            this.config = arg(config, "config");
            return this;
        }

        /** Where metrics and traces go; no-op if not given. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = arg(openTelemetry, "openTelemetry");
            return this;
        }

        /** Time and threads; {@link Clock#system()} if not given, a virtual clock in tests. */
        public Builder clock(Clock clock) {
            this.clock = arg(clock, "clock");
            return this;
        }

        /** Input format when there is no transport [16 kHz mono]. */
        public Builder inputFormat(AudioFormat format) {
            this.inputFormat = arg(format, "inputFormat");
            return this;
        }

        /** Output format when there is no transport [16 kHz mono]. */
        public Builder outputFormat(AudioFormat format) {
            this.outputFormat = arg(format, "outputFormat");
            return this;
        }

        /**
         * How written replies become the text the synthesizer is given [unchanged], e.g.
         * {@code SpeechText.defaults(Locale.US)} to drop markdown and emoji and say "$5" as "five
         * dollars". Applies to agent replies and {@code say}, on the streaming text; transcripts,
         * events and history keep the written form.
         */
        public Builder speechText(SpeechText speechText) {
            this.speechText = arg(speechText, "speechText");
            return this;
        }

        /** Voice id passed to the synthesizer, empty for its default. */
        public Builder voice(String voice) {
            this.voice = arg(voice, "voice");
            return this;
        }

        private static <T> T arg(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        /**
         * Builds the session (and starts it if {@link SessionConfig#autoStart()}).
         *
         * @throws SessionException {@link ErrorCode#INVALID_CONFIG} naming what is missing
         */
        public VoiceSession build() {
            if (stt.isEmpty()) {
                throw new SessionException(ErrorCode.INVALID_CONFIG, "stt provider is required");
            }
            if (tts.isEmpty()) {
                throw new SessionException(ErrorCode.INVALID_CONFIG, "tts provider is required");
            }
            if (agent == null) {
                throw new SessionException(ErrorCode.INVALID_CONFIG, "agent or streamingAgent is required");
            }
            DefaultVoiceSession session = new DefaultVoiceSession(this);
            if (config.autoStart()) {
                session.start();
            }
            return session;
        }
    }
}
