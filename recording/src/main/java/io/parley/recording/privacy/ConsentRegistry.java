package io.parley.recording.privacy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.RecordingJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Who consented to what: per user and {@link ConsentType}, with expiry and withdrawal. The full
 * history is kept (withdrawals are marked, not erased) so a compliance report can show it.
 * Persisted to a JSON file when created with {@link #open(Path, Clock)}; thread-safe.
 */
public final class ConsentRegistry {

    private final Path file;
    private final Clock clock;
    private final List<Consent> consents = new ArrayList<>();
    private final List<BiConsumer<String, ConsentType>> withdrawalListeners = new CopyOnWriteArrayList<>();

    private ConsentRegistry(Path file, Clock clock) {
        this.file = file;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A registry kept only in memory. */
    public static ConsentRegistry inMemory(Clock clock) {
        return new ConsentRegistry(null, clock);
    }

    /**
     * A registry persisted in {@code file} (created when first written).
     *
     * @throws RecordingException CORRUPT if the file exists but cannot be read
     */
    public static ConsentRegistry open(Path file, Clock clock) {
        ConsentRegistry r = new ConsentRegistry(Objects.requireNonNull(file, "file"), clock);
        if (Files.exists(file)) {
            try {
                r.consents.addAll(RecordingJson.mapper().readValue(file.toFile(), new TypeReference<List<Consent>>() { }));
            } catch (IOException e) {
                throw new RecordingException(Problem.CORRUPT, "consent file " + file + " is unreadable: " + e.getMessage(), e);
            }
        }
        return r;
    }

    /** Records consent without expiry. */
    public Consent grant(String userId, ConsentType type) {
        return grant(userId, type, null);
    }

    /**
     * Records consent, valid for {@code validity} (null for no expiry). Replaces any active consent
     * of the same type.
     *
     * @throws IllegalArgumentException for a blank user id or a non-positive validity
     */
    public synchronized Consent grant(String userId, ConsentType type, Duration validity) {
        checkUser(userId);
        Objects.requireNonNull(type, "type");
        if (validity != null && (validity.isNegative() || validity.isZero())) {
            throw new IllegalArgumentException("consent validity must be positive, was " + validity);
        }
        Instant now = clock.instant();
        endActive(userId, type, now);
        Consent c = new Consent(userId, type, now, validity == null ? null : now.plus(validity), null);
        consents.add(c);
        save();
        return c;
    }

    /** Withdraws consents; listeners hear about each one that was in force. */
    public void withdraw(String userId, ConsentType... types) {
        checkUser(userId);
        List<ConsentType> ended = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (ConsentType t : types.length == 0 ? ConsentType.values() : types) {
                if (endActive(userId, t, now)) {
                    ended.add(t);
                }
            }
            save();
        }
        for (ConsentType t : ended) {
            for (BiConsumer<String, ConsentType> l : withdrawalListeners) {
                l.accept(userId, t);
            }
        }
    }

    /** Whether {@code userId} currently consents to {@code type}. */
    public synchronized boolean has(String userId, ConsentType type) {
        Instant now = clock.instant();
        return consents.stream().anyMatch(c -> c.userId().equals(userId) && c.type() == type && c.activeAt(now));
    }

    /** The consent currently in force, if any. */
    public synchronized Optional<Consent> active(String userId, ConsentType type) {
        Instant now = clock.instant();
        return consents.stream().filter(c -> c.userId().equals(userId) && c.type() == type && c.activeAt(now)).findFirst();
    }

    /** Every consent decision of a user, oldest first. */
    public synchronized List<Consent> history(String userId) {
        return consents.stream().filter(c -> c.userId().equals(userId)).toList();
    }

    /** Every user with any consent record. */
    public synchronized List<String> users() {
        return consents.stream().map(Consent::userId).distinct().sorted().toList();
    }

    /** Removes every record of a user (for delete-my-data, after their data is gone). */
    public synchronized void forget(String userId) {
        consents.removeIf(c -> c.userId().equals(userId));
        save();
    }

    /** Calls {@code listener(userId, type)} after each withdrawal of a consent that was in force. */
    public void onWithdrawal(BiConsumer<String, ConsentType> listener) {
        withdrawalListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops calling a listener given to {@link #onWithdrawal}. */
    public void removeWithdrawalListener(BiConsumer<String, ConsentType> listener) {
        withdrawalListeners.remove(listener);
    }

    private boolean endActive(String userId, ConsentType type, Instant now) {
        boolean any = false;
        for (int i = 0; i < consents.size(); i++) {
            Consent c = consents.get(i);
            if (c.userId().equals(userId) && c.type() == type && c.withdrawnAt() == null
                    && (c.expiresAt() == null || now.isBefore(c.expiresAt()))) {
                consents.set(i, new Consent(c.userId(), c.type(), c.grantedAt(), c.expiresAt(), now));
                any = true;
            }
        }
        return any;
    }

    private void save() {
        if (file == null) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(tmp, RecordingJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(consents));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RecordingException(Problem.IO, "cannot save consents to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkUser(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("user id must not be blank");
        }
    }
}
