package io.parley.bench.text;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import io.parley.agent.langchain4j.LlmAgent;
import io.parley.session.SessionConfig;
import io.parley.session.SpeechHandle;
import io.parley.session.VoiceSession;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.testing.FakeStt;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.text.speech.SpeechText;
import io.parley.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Latency the LLM adapter and the session add between the model's first token and the first
 * text reaching the synthesizer, on real threads: the model's callback (on the benchmark
 * thread, as on an HTTP client thread) → {@code LlmAgent} → the session's event loop → the
 * speech-text chain → {@code TtsStream.pushText}. Each invocation answers one reply whose
 * synthesizer is already open and whose session has gone quiet, as it has when a real model's
 * first token arrives. Target: p99 at most 1 ms. The one hand-off in this path (model thread to
 * event loop) costs at least what {@code LoopWakeBenchmark} measures on the same machine.
 *
 * <pre>
 * mvn -q -pl benchmarks exec:exec -Dbench.args="AgentFirstTokenBenchmark -f 1 -wi 2 -i 5 -w 2s -r 2s"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AgentFirstTokenBenchmark {

    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** With or without the default speech-text chain between agent and synthesizer. */
    @Param({"false", "true"})
    public boolean speechText;

    private VoiceSession session;
    private final CapturingModel model = new CapturingModel();
    private final RecordingTts tts = new RecordingTts();
    private SpeechHandle reply;

    @Setup(Level.Trial)
    public void start() {
        Clock clock = Clock.system();
        UserScript nobody = new UserScript();
        session = VoiceSession.builder()
                .config(SessionConfig.builder().sessionId("bench").build())
                .transport(InMemoryTransport.builder(clock).script(nobody).build())
                .stt(FakeStt.builder(clock, nobody).build())
                .tts(tts)
                .speechText(speechText ? SpeechText.defaults() : SpeechText.none())
                .streamingAgent(LlmAgent.builder().model(model).build())
                .build();
        session.start();
    }

    @Setup(Level.Invocation)
    public void ask() throws InterruptedException {
        model.handler = null;
        tts.opened = false;
        tts.firstText = false;
        reply = session.respond("What time is it?");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((model.handler == null || !tts.opened) && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        if (model.handler == null || !tts.opened) {
            throw new IllegalStateException("the agent or the synthesizer did not start within 5 s");
        }
        // A model's first token comes a few hundred milliseconds after the request, when the work
        // of starting the reply (the synthesizer's open reaching the loop, the agent thread going
        // back to its pool) is long done. Without this pause the token would race that work for
        // the CPU and the benchmark would time the setup's tail, not the hand-off.
        LockSupport.parkNanos(QUIET_NANOS);
    }

    @Benchmark
    public boolean firstTokenToSynthesizer() {
        model.handler.onPartialResponse(new PartialResponse("It is noon. "), model.context);
        while (!tts.firstText) {
            Thread.onSpinWait();
        }
        return tts.firstText;
    }

    @TearDown(Level.Invocation)
    public void finish() {
        model.handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("It is noon. "))
                .finishReason(FinishReason.STOP).build());
        reply.cancel();
        reply.playout().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
    }

    @TearDown(Level.Trial)
    public void stop() {
        session.stop();
    }

    /** Hands the benchmark the handler LangChain4j would call from its HTTP thread. */
    static final class CapturingModel implements StreamingChatModel {
        volatile StreamingChatResponseHandler handler;
        final PartialResponseContext context = new PartialResponseContext(new StreamingHandle() {
            @Override
            public void cancel() {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        });

        @Override
        public void chat(ChatRequest request, StreamingChatResponseHandler h) {
            handler = h;
        }
    }

    /** A synthesizer that notes when it is open and when text first reaches it, and makes no audio. */
    static final class RecordingTts implements TtsProvider {
        volatile boolean opened;
        volatile boolean firstText;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public TtsStream open(TtsRequest request, TtsListener listener) {
            opened = true;
            return new TtsStream() {
                @Override
                public void pushText(String chunk) {
                    firstText = true;
                }

                @Override
                public void flush() {
                }

                @Override
                public void cancel() {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
