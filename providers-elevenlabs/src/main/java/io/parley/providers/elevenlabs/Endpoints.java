package io.parley.providers.elevenlabs;

import io.parley.audio.AudioFormat;
import io.parley.providers.http.ProviderHttp;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.time.Duration;
import java.util.Set;

/** Host, voice, key and output-format helpers shared by the ElevenLabs providers. */
final class Endpoints {

    /** ElevenLabs' public API host; tests and proxies override it with {@code baseUrl(..)}. */
    static final String DEFAULT_BASE_URL = "https://api.elevenlabs.io";

    /** PCM rates the websocket endpoints produce. */
    static final Set<Integer> WS_PCM_RATES = Set.of(8000, 16000, 22050, 24000, 44100);
    /** PCM rates the HTTP streaming endpoint produces. */
    static final Set<Integer> HTTP_PCM_RATES = Set.of(8000, 16000, 22050, 24000, 44100, 48000);

    /** ElevenLabs' premade "Rachel" voice, available to every account. */
    static final String RACHEL = "21m00Tcm4TlvDq8ikWAM";

    private Endpoints() {
    }

    /** The voice used when neither the builder nor the request names one: {@code ELEVENLABS_VOICE_ID}, else Rachel. */
    static String defaultVoice() {
        String env = System.getenv("ELEVENLABS_VOICE_ID");
        return env == null || env.isBlank() ? RACHEL : env.strip();
    }

    static String apiKey(String explicit) {
        String key = ProviderHttp.apiKey(explicit, "ELEVENLABS_API_KEY");
        if (key == null) {
            throw new SessionException(ErrorCode.INVALID_CONFIG, "no ElevenLabs API key: call apiKey(..) or set ELEVENLABS_API_KEY");
        }
        return key;
    }

    /** The {@code output_format} value for raw PCM at the request's rate. */
    static String pcmOutputFormat(AudioFormat format, Set<Integer> supported) {
        if (!supported.contains(format.sampleRate())) {
            throw new SessionException(ErrorCode.INVALID_CONFIG, "ElevenLabs produces PCM at " + new java.util.TreeSet<>(supported)
                    + " Hz here, not " + format.sampleRate() + " Hz");
        }
        return "pcm_" + format.sampleRate();
    }

    static String requireText(String what, String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return s;
    }

    static Duration positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }
}
