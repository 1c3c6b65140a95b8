package io.parley.recording;

import io.parley.recording.RecordingException.Problem;
import io.parley.recording.privacy.ConsentRegistry;
import io.parley.recording.privacy.ConsentType;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The consent a {@link SessionRecorder} needs from its user: a transcript always, audio recording
 * when it captures audio. Without a registry the host is responsible and nothing is checked.
 */
final class ConsentGate {

    private final ConsentRegistry consents;
    private final String userId;
    private final boolean captureAudio;
    private final BiConsumer<String, ConsentType> withdrawalListener;

    /** Calls {@code onLost} (on the registry's thread) when the user withdraws a needed consent. */
    ConsentGate(ConsentRegistry consents, String userId, boolean captureAudio, Consumer<ConsentType> onLost) {
        this.consents = consents;
        this.userId = userId;
        this.captureAudio = captureAudio;
        this.withdrawalListener = (user, type) -> {
            if (user.equals(userId) && (type == ConsentType.TRANSCRIPT || (type == ConsentType.RECORDING && captureAudio))) {
                onLost.accept(type);
            }
        };
        if (consents != null) {
            consents.onWithdrawal(withdrawalListener);
        }
    }

    /** @throws RecordingException NO_CONSENT when a needed consent is missing */
    void check() {
        if (consents == null) {
            return;
        }
        if (!consents.has(userId, ConsentType.TRANSCRIPT)) {
            throw new RecordingException(Problem.NO_CONSENT, "user '" + userId + "' has not consented to a transcript; nothing was recorded");
        }
        if (captureAudio && !consents.has(userId, ConsentType.RECORDING)) {
            throw new RecordingException(Problem.NO_CONSENT, "user '" + userId
                    + "' has not consented to audio recording; nothing was recorded (build the recorder with captureAudio(false) for text only)");
        }
    }

    /** Stops following withdrawals. */
    void dispose() {
        if (consents != null) {
            consents.removeWithdrawalListener(withdrawalListener);
        }
    }
}
