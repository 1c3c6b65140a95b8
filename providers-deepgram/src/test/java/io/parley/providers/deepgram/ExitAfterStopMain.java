package io.parley.providers.deepgram;

import io.parley.session.VoiceSession;

/**
 * Child-JVM program for {@link JvmExitTest}: one session on Deepgram with default HTTP
 * clients (which the application never closes), started, stopped, then main returns. The
 * JVM must exit promptly; before the providers owned daemon clients it lingered ~60 s.
 */
public final class ExitAfterStopMain {

    private ExitAfterStopMain() {
    }

    public static void main(String[] args) {
        String baseUrl = args[0];
        DeepgramStt stt = DeepgramStt.builder().apiKey(FakeDeepgram.KEY).baseUrl(baseUrl).build();
        DeepgramTts tts = DeepgramTts.builder().apiKey(FakeDeepgram.KEY).baseUrl(baseUrl).build();
        VoiceSession session = VoiceSession.builder().stt(stt).tts(tts).agent((ctx, text) -> "ok").build();
        session.start();
        session.stop();
        System.out.println("STOPPED");
        System.out.flush();
    }
}
