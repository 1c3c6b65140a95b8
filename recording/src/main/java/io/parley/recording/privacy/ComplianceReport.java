package io.parley.recording.privacy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What is stored about each user, under which retention policy, and what holds it.
 *
 * @param generatedAt when the report was made
 * @param users       one entry per user with recordings or consent records
 */
public record ComplianceReport(@JsonProperty("generated_at") Instant generatedAt, List<UserEntry> users) {

    public ComplianceReport {
        users = List.copyOf(users);
    }

    /**
     * One user.
     *
     * @param userId     the user
     * @param recordings their recordings
     * @param consents   their consent history
     */
    public record UserEntry(@JsonProperty("user_id") String userId, List<StoredRecording> recordings,
                            List<Consent> consents) {
        public UserEntry {
            recordings = List.copyOf(recordings);
            consents = List.copyOf(consents);
        }
    }

    /**
     * One recording of a user.
     *
     * @param name         the recording
     * @param dataClass    its retention class
     * @param retention    how long that class is kept
     * @param ownPolicy    whether the class has its own policy (else the default applies)
     * @param expiresAt    when it becomes due for deletion
     * @param sizeBytes    bytes stored
     * @param hasAudio     whether audio is stored
     * @param encrypted    whether it is encrypted at rest
     * @param legalHold    the hold reason, if held
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredRecording(String name, @JsonProperty("data_class") String dataClass, Duration retention,
                                  @JsonProperty("own_policy") boolean ownPolicy,
                                  @JsonProperty("expires_at") Instant expiresAt, @JsonProperty("size_bytes") long sizeBytes,
                                  @JsonProperty("has_audio") boolean hasAudio, boolean encrypted,
                                  @JsonProperty("legal_hold") String legalHold) {
    }
}
