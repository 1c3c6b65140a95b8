package io.parley.recording.privacy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One consent decision.
 *
 * @param userId      who
 * @param type        to what
 * @param grantedAt   when it was given
 * @param expiresAt   when it lapses, or null for never
 * @param withdrawnAt when it was withdrawn, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Consent(@JsonProperty("user_id") String userId, ConsentType type,
                     @JsonProperty("granted_at") Instant grantedAt, @JsonProperty("expires_at") Instant expiresAt,
                     @JsonProperty("withdrawn_at") Instant withdrawnAt) {
    public Consent {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(grantedAt, "grantedAt");
    }

    /** Whether it is in force at {@code now}. */
    public boolean activeAt(Instant now) {
        return withdrawnAt == null && !grantedAt.isAfter(now) && (expiresAt == null || now.isBefore(expiresAt));
    }
}
