package io.parley.recording.privacy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How long recordings are kept, per data class (the class a recorder gives its recordings), with
 * a default for classes without a policy. Immutable.
 */
public final class RetentionPolicies {

    /** The default retention when nothing else is configured: 30 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    private final Duration fallback;
    private final Map<String, Duration> perClass;

    private RetentionPolicies(Duration fallback, Map<String, Duration> perClass) {
        this.fallback = fallback;
        this.perClass = Map.copyOf(perClass);
    }

    /** 30 days for every class. */
    public static RetentionPolicies defaults() {
        return new RetentionPolicies(DEFAULT_RETENTION, Map.of());
    }

    /** {@code retention} for every class without its own policy. */
    public static RetentionPolicies withDefault(Duration retention) {
        return new RetentionPolicies(check(retention), Map.of());
    }

    /** These policies plus one for {@code dataClass}. */
    public RetentionPolicies with(String dataClass, Duration retention) {
        if (dataClass == null || dataClass.isBlank()) {
            throw new IllegalArgumentException("data class must not be blank");
        }
        Map<String, Duration> m = new HashMap<>(perClass);
        m.put(dataClass, check(retention));
        return new RetentionPolicies(fallback, m);
    }

    /** How long recordings of {@code dataClass} are kept. */
    public Duration retentionFor(String dataClass) {
        return perClass.getOrDefault(Objects.requireNonNull(dataClass, "dataClass"), fallback);
    }

    /** Whether {@code dataClass} has its own policy (rather than the default). */
    public boolean hasPolicy(String dataClass) {
        return perClass.containsKey(dataClass);
    }

    private static Duration check(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + d);
        }
        return d;
    }
}
