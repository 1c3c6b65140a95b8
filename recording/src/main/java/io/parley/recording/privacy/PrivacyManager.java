package io.parley.recording.privacy;

import io.parley.recording.Recording;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.RecordingJson;
import io.parley.recording.export.ExportFormat;
import io.parley.recording.export.RecordingExporter;
import io.parley.recording.store.LegalHold;
import io.parley.recording.store.RecordingStore;
import io.parley.recording.store.RecordingSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Retention and data-subject rights over a {@link RecordingStore}: deletes what outlived its
 * retention policy (never what is under legal hold), exports or deletes everything stored about
 * one user, and reports what is stored per user and why.
 */
public final class PrivacyManager {

    private final RecordingStore store;
    private final ConsentRegistry consents;
    private final RetentionPolicies policies;
    private final Clock clock;
    private final RecordingExporter exporter;

    /**
     * @param store    the recordings
     * @param consents the consent records
     * @param policies retention per data class
     * @param clock    what "now" is for expiry
     */
    public PrivacyManager(RecordingStore store, ConsentRegistry consents, RetentionPolicies policies, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.exporter = RecordingExporter.create();
    }

    /**
     * Deletes (or with {@code dryRun} only lists) every recording whose end plus its class's
     * retention lies in the past. Held recordings are reported and kept.
     */
    public RetentionReport deleteExpired(boolean dryRun) {
        Instant now = clock.instant();
        List<RetentionReport.Item> expired = new ArrayList<>();
        List<RetentionReport.Item> held = new ArrayList<>();
        List<RetentionReport.Item> skipped = new ArrayList<>();
        for (RecordingSummary s : store.list()) {
            Instant expiresAt = s.updatedAt().plus(policies.retentionFor(s.dataClass()));
            if (expiresAt.isAfter(now)) {
                continue;
            }
            Optional<LegalHold> hold = store.hold(s.name());
            if (hold.isPresent()) {
                held.add(new RetentionReport.Item(s.name(), s.dataClass(), expiresAt, hold.get().reason()));
            } else if (store.isBeingWritten(s.name())) {
                skipped.add(new RetentionReport.Item(s.name(), s.dataClass(), expiresAt, "still being written"));
            } else {
                if (!dryRun) {
                    store.delete(s.name());
                }
                expired.add(new RetentionReport.Item(s.name(), s.dataClass(), expiresAt, ""));
            }
        }
        return new RetentionReport(dryRun, expired, held, skipped);
    }

    /** Names of every recording of {@code userId}, oldest first. */
    public List<String> recordingsOf(String userId) {
        return store.list().stream().filter(s -> userId.equals(s.userId()))
                .sorted(java.util.Comparator.comparing(RecordingSummary::createdAt)).map(RecordingSummary::name).toList();
    }

    /**
     * Writes everything stored about {@code userId} to a zip file: each recording as a bundle
     * (audio, transcript, events, metadata) under its name, plus the consent history.
     *
     * @return the file written
     */
    public Path exportUserData(String userId, Path zipFile) {
        checkUser(userId);
        Path tmp = zipFile.resolveSibling(zipFile.getFileName() + ".tmp");
        try {
            Files.createDirectories(zipFile.toAbsolutePath().getParent());
            try (ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp),
                    64 * 1024))) {
                zip.putNextEntry(new ZipEntry("consents.json"));
                zip.write(RecordingJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(consents.history(userId)));
                zip.closeEntry();
                for (String name : recordingsOf(userId)) {
                    // Each bundle streams straight into its entry: nothing is held in memory.
                    zip.putNextEntry(new ZipEntry("recordings/" + name + ".zip"));
                    exporter.export(store.load(name), ExportFormat.ZIP, zip);
                    zip.closeEntry();
                }
            }
            Files.move(tmp, zipFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return zipFile;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new RecordingException(Problem.IO, "cannot export data of user " + userId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Withdraws every consent of {@code userId} first (which stops any {@link
     * io.parley.recording.SessionRecorder} recording them, so nothing new is recorded), then
     * deletes every recording of theirs that is not under legal hold. Recordings still open by a
     * writer that ignored the withdrawal are kept and reported; if nothing was kept, the consent
     * records are removed too.
     */
    public UserDataDeletion deleteUserData(String userId) {
        checkUser(userId);
        consents.withdraw(userId);
        List<String> deleted = new ArrayList<>();
        List<String> held = new ArrayList<>();
        List<String> writing = new ArrayList<>();
        for (String name : recordingsOf(userId)) {
            if (store.hold(name).isPresent()) {
                held.add(name);
            } else if (store.isBeingWritten(name)) {
                writing.add(name);
            } else {
                store.delete(name);
                deleted.add(name);
            }
        }
        boolean forget = held.isEmpty() && writing.isEmpty();
        if (forget) {
            consents.forget(userId);
        }
        return new UserDataDeletion(userId, deleted, held, writing, forget);
    }

    /** What is stored per user, under which policy, with holds and consent history. */
    public ComplianceReport complianceReport() {
        Map<String, List<ComplianceReport.StoredRecording>> byUser = new TreeMap<>();
        for (RecordingSummary s : store.list()) {
            Recording r = store.load(s.name());
            var retention = policies.retentionFor(s.dataClass());
            byUser.computeIfAbsent(s.userId(), k -> new ArrayList<>()).add(new ComplianceReport.StoredRecording(
                    s.name(), s.dataClass(), retention, policies.hasPolicy(s.dataClass()),
                    s.updatedAt().plus(retention), s.sizeBytes(), r.metadata().sampleRate() > 0,
                    r.metadata().keyId() != null, store.hold(s.name()).map(LegalHold::reason).orElse(null)));
        }
        TreeSet<String> users = new TreeSet<>(byUser.keySet());
        users.addAll(consents.users());
        List<ComplianceReport.UserEntry> entries = new ArrayList<>();
        for (String u : users) {
            entries.add(new ComplianceReport.UserEntry(u, byUser.getOrDefault(u, List.of()), consents.history(u)));
        }
        return new ComplianceReport(clock.instant(), entries);
    }

    /**
     * What is kept, for how long, on what basis and with which holds, judged against {@code
     * framework}. A recording is kept on the framework's consent basis while the user's
     * transcript consent is in force, on its legal-hold basis while held; findings name every
     * recording with neither, audio kept without a recording consent, data past its retention
     * and (HIPAA) data not encrypted at rest.
     */
    public FrameworkReport complianceReport(ComplianceFramework framework) {
        Instant now = clock.instant();
        List<FrameworkReport.Item> items = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        for (RecordingSummary s : store.list()) {
            Recording r = store.load(s.name());
            boolean audio = r.metadata().sampleRate() > 0;
            boolean encrypted = r.metadata().keyId() != null;
            var retention = policies.retentionFor(s.dataClass());
            Instant expires = s.updatedAt().plus(retention);
            String hold = store.hold(s.name()).map(LegalHold::reason).orElse(null);
            boolean consent = consents.has(s.userId(), ConsentType.TRANSCRIPT);
            String basis = hold != null ? framework.holdBasis() : consent ? framework.consentBasis() : "none on record";
            List<String> kept = new ArrayList<>(List.of("transcript"));
            if (audio) {
                kept.add("audio");
            }
            if (!r.redactions().isEmpty()) {
                kept.add("redaction audit");
            }
            items.add(new FrameworkReport.Item(s.name(), s.userId(), kept, retention, expires, basis, hold, encrypted));
            if (hold == null && !consent) {
                findings.add(s.name() + ": no basis on record (no transcript consent in force for " + s.userId()
                        + " and no legal hold); delete it or record the basis");
            }
            if (hold == null && audio && !consents.has(s.userId(), ConsentType.RECORDING)) {
                findings.add(s.name() + ": audio kept without a recording consent in force for " + s.userId());
            }
            if (hold == null && expires.isBefore(now)) {
                findings.add(s.name() + ": kept past its retention (due " + expires + "); run deleteExpired");
            }
            if (framework == ComplianceFramework.HIPAA && !encrypted) {
                findings.add(s.name() + ": stored unencrypted; encrypt ePHI at rest (45 CFR 164.312(a)(2)(iv))");
            }
        }
        return new FrameworkReport(framework, now, framework.rights(), items, findings);
    }

    /** Writes a compliance report as JSON. */
    public void writeComplianceReport(OutputStream out) {
        try {
            RecordingJson.mapper().writerWithDefaultPrettyPrinter()
                    .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .writeValue(out, complianceReport());
        } catch (IOException e) {
            throw new RecordingException(Problem.IO, "cannot write compliance report: " + e.getMessage(), e);
        }
    }

    private static void checkUser(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("user id must not be blank");
        }
    }
}
