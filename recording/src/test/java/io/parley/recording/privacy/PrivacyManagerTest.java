package io.parley.recording.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.recording.EventType;
import io.parley.testing.VirtualClock;
import io.parley.recording.SessionRecorder;
import io.parley.recording.store.FileRecordingStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyManagerTest {

    static final Instant NOW = Instant.parse("2025-12-20T12:00:00Z");

    @TempDir
    Path dir;

    FileRecordingStore store;
    ConsentRegistry consents;
    PrivacyManager privacy;
    final VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:45:00Z"));

    @BeforeEach
    void setUp() {
        store = FileRecordingStore.open(dir.resolve("store"));
        consents = ConsentRegistry.open(dir.resolve("consents.json"), Clock.fixed(Instant.parse("2025-11-01T00:00:00Z"), ZoneOffset.UTC));
        consents.grant("ada", ConsentType.TRANSCRIPT);
        consents.grant("ada", ConsentType.RECORDING);
        consents.grant("bob", ConsentType.TRANSCRIPT);
        privacy = new PrivacyManager(store, consents,
                RetentionPolicies.defaults().with("support", Duration.ofDays(90)), Clock.fixed(NOW, ZoneOffset.UTC));
        // Ended 2025-11-08: 42 days before NOW.
        record("old-default", "ada", "default");
        record("old-support", "ada", "support");
        record("old-held", "bob", "default");
        store.placeHold("old-held", "case #12345");
    }

    private void record(String name, String user, String dataClass) {
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).user(user, user.toUpperCase())
                .dataClass(dataClass).captureAudio(false).consents(consents).build();
        rec.start(name);
        rec.message(EventType.USER_MESSAGE, "hello from " + user);
        rec.stop();
        rec.dispose();
    }

    @Test
    void deleteExpiredReportsOnDryRunAndKeepsHeldAndLongerRetainedRecordings() {
        RetentionReport dry = privacy.deleteExpired(true);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.expired()).extracting(RetentionReport.Item::recording).containsExactly("old-default");
        assertThat(dry.expired().get(0).expiredAt()).isEqualTo(Instant.parse("2025-11-08T15:45:00Z").plus(Duration.ofDays(30)));
        assertThat(dry.held()).singleElement().satisfies(i -> {
            assertThat(i.recording()).isEqualTo("old-held");
            assertThat(i.note()).isEqualTo("case #12345");
        });
        assertThat(store.exists("old-default")).isTrue();

        RetentionReport real = privacy.deleteExpired(false);
        assertThat(real.expired()).extracting(RetentionReport.Item::recording).containsExactly("old-default");
        assertThat(store.exists("old-default")).isFalse();
        assertThat(store.exists("old-support")).isTrue();
        assertThat(store.exists("old-held")).isTrue();

        store.releaseHold("old-held");
        assertThat(privacy.deleteExpired(false).expired()).extracting(RetentionReport.Item::recording).containsExactly("old-held");
    }

    @Test
    void exportMyDataContainsOnlyThatUsersRecordingsAndConsents() throws Exception {
        Path zip = privacy.exportUserData("ada", dir.resolve("out/ada.zip"));
        List<String> names = new ArrayList<>();
        String consentJson = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                if (e.getName().equals("consents.json")) {
                    consentJson = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertThat(names).containsExactly("consents.json", "recordings/old-default.zip", "recordings/old-support.zip");
        assertThat(consentJson).contains("\"user_id\" : \"ada\"", "RECORDING", "TRANSCRIPT").doesNotContain("bob");
    }

    @Test
    void deleteMyDataRemovesRecordingsExceptHeldOnesAndWithdrawsConsent() {
        UserDataDeletion bob = privacy.deleteUserData("bob");
        assertThat(bob.deleted()).isEmpty();
        assertThat(bob.held()).containsExactly("old-held");
        assertThat(bob.consentsForgotten()).isFalse();
        assertThat(consents.has("bob", ConsentType.TRANSCRIPT)).isFalse();
        assertThat(consents.history("bob")).isNotEmpty();

        UserDataDeletion ada = privacy.deleteUserData("ada");
        assertThat(ada.deleted()).containsExactly("old-default", "old-support");
        assertThat(ada.consentsForgotten()).isTrue();
        assertThat(consents.history("ada")).isEmpty();
        assertThat(store.list()).extracting(s -> s.name()).containsExactly("old-held");
        assertThat(ConsentRegistry.open(dir.resolve("consents.json"), Clock.systemUTC()).history("ada")).isEmpty();
    }

    @Test
    void complianceReportShowsWhatIsStoredPerUserUnderWhichPolicyAndHolds() {
        ComplianceReport report = privacy.complianceReport();
        assertThat(report.users()).extracting(ComplianceReport.UserEntry::userId).containsExactly("ada", "bob");
        ComplianceReport.UserEntry ada = report.users().get(0);
        assertThat(ada.recordings()).extracting(ComplianceReport.StoredRecording::name).containsExactly("old-default", "old-support");
        ComplianceReport.StoredRecording support = ada.recordings().get(1);
        assertThat(support.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(support.ownPolicy()).isTrue();
        assertThat(support.hasAudio()).isFalse();
        assertThat(support.encrypted()).isFalse();
        assertThat(ada.consents()).extracting(Consent::type).containsExactlyInAnyOrder(ConsentType.TRANSCRIPT, ConsentType.RECORDING);
        assertThat(report.users().get(1).recordings().get(0).legalHold()).isEqualTo("case #12345");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        privacy.writeComplianceReport(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"legal_hold\" : \"case #12345\"", "\"retention\" : \"PT2160H\"");
    }

    @Test
    void consentsExpireAndPersist() {
        ConsentRegistry r = ConsentRegistry.open(dir.resolve("c2.json"), Clock.fixed(NOW, ZoneOffset.UTC));
        r.grant("eve", ConsentType.ANALYTICS, Duration.ofDays(1));
        assertThat(r.has("eve", ConsentType.ANALYTICS)).isTrue();
        ConsentRegistry later = ConsentRegistry.open(dir.resolve("c2.json"), Clock.fixed(NOW.plus(Duration.ofDays(2)), ZoneOffset.UTC));
        assertThat(later.has("eve", ConsentType.ANALYTICS)).isFalse();
        assertThat(later.history("eve")).hasSize(1);
    }
}
