package io.parley.recording.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.recording.EventType;
import io.parley.testing.VirtualClock;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.SessionRecorder;
import io.parley.recording.TestConversations;
import io.parley.recording.export.ExportFormat;
import io.parley.recording.export.RecordingExporter;
import io.parley.recording.store.FileRecordingStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnonymizerAndComplianceTest {

    @TempDir
    Path dir;

    final VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:45:00Z"));
    final byte[] secret = "a test secret of 32 bytes length".getBytes(StandardCharsets.US_ASCII);

    @Test
    void namesIdsAndPersonalDataAreReplacedConsistently() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).user("u-778", "Ada Lovelace").agent("bot", "Parley")
                .sessionId("sess-42").redactor(Redactor.none()).captureAudio(false).build();
        rec.start("call-with-ada");
        rec.message(EventType.USER_MESSAGE, "Hi, this is Ada, mail me at ada@example.com or call 4155550132");
        rec.message(EventType.BOT_RESPONSE, "Thanks Ada Lovelace, I will write to ada@example.com");
        rec.tag("ada-refund");
        rec.stop();
        Recording r = Anonymizer.withSecret(secret).anonymize(store.load("call-with-ada"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordingExporter.create().export(r, ExportFormat.JSON, out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).doesNotContainIgnoringCase("ada").doesNotContain("u-778", "sess-42", "4155550132", "example.com");
        String user = Anonymizer.withSecret(secret).pseudonym("user", "u-778");
        String email = Anonymizer.withSecret(secret).pseudonym("email", "ada@example.com");
        assertThat(r.messages().get(1).content()).isEqualTo("Hi, this is " + user + ", mail me at [" + email + "] or call ["
                + Anonymizer.withSecret(secret).pseudonym("phone", "4155550132") + "]");
        assertThat(r.messages().get(2).content()).isEqualTo("Thanks " + user + ", I will write to [" + email + "]");
        assertThat(r.messages().get(1).author()).isEqualTo(user);
        assertThat(r.messages().get(2).author()).isEqualTo("Parley");
        assertThat(r.events()).filteredOn(e -> e.type() == EventType.TAG).extracting(RecordingEvent::content)
                .containsExactly(user + "-refund");
        assertThat(r.name()).startsWith("anon-").doesNotContain("ada");
        assertThat(r.audio()).isEmpty();
        // Another secret gives other pseudonyms: they cannot be confirmed by guessing without it.
        assertThat(Anonymizer.withSecret("another secret, also 32 bytes!!!".getBytes(StandardCharsets.US_ASCII))
                .pseudonym("user", "u-778")).isNotEqualTo(user);
    }

    @Test
    void complianceReportSaysWhatIsKeptHowLongOnWhatBasisPerFramework() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        ConsentRegistry consents = ConsentRegistry.inMemory(Clock.fixed(Instant.parse("2025-11-01T00:00:00Z"), ZoneOffset.UTC));
        consents.grant("123", ConsentType.TRANSCRIPT);
        consents.grant("123", ConsentType.RECORDING);
        TestConversations.record(store, clock, "consented");
        SessionRecorder other = SessionRecorder.builder(store).clock(clock).user("bob", "Bob").captureAudio(false).build();
        other.start("no-basis");
        other.message(EventType.USER_MESSAGE, "hello");
        other.stop();
        SessionRecorder held = SessionRecorder.builder(store).clock(clock).user("eve", "Eve").captureAudio(false).build();
        held.start("held");
        held.message(EventType.USER_MESSAGE, "hello");
        held.stop();
        store.placeHold("held", "case #12345");
        PrivacyManager pm = new PrivacyManager(store, consents, RetentionPolicies.defaults(),
                Clock.fixed(Instant.parse("2025-11-20T00:00:00Z"), ZoneOffset.UTC));

        FrameworkReport gdpr = pm.complianceReport(ComplianceFramework.GDPR);
        assertThat(gdpr.recordings()).extracting(FrameworkReport.Item::name)
                .containsExactlyInAnyOrder("consented", "no-basis", "held");
        FrameworkReport.Item c = gdpr.recordings().stream().filter(i -> i.name().equals("consented")).findFirst().orElseThrow();
        assertThat(c.kept()).contains("transcript", "audio");
        assertThat(c.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(c.basis()).contains("Art. 6(1)(a)");
        assertThat(gdpr.recordings()).filteredOn(i -> i.name().equals("held")).singleElement()
                .satisfies(i -> assertThat(i.basis()).contains("Art. 17(3)(e)"))
                .satisfies(i -> assertThat(i.legalHold()).isEqualTo("case #12345"));
        assertThat(gdpr.findings()).singleElement().asString().contains("no-basis", "no basis on record");
        assertThat(gdpr.toText()).contains("GDPR", "due for deletion", "Findings:");

        assertThat(pm.complianceReport(ComplianceFramework.CCPA).recordings()).filteredOn(i -> i.name().equals("consented"))
                .singleElement().satisfies(i -> assertThat(i.basis()).contains("1798.100"));
        FrameworkReport hipaa = pm.complianceReport(ComplianceFramework.HIPAA);
        assertThat(hipaa.findings()).anyMatch(f -> f.contains("consented") && f.contains("164.312"));
        assertThat(ComplianceFramework.parse("hipaa")).isEqualTo(ComplianceFramework.HIPAA);
    }
}
