package io.parley.recording.privacy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What is kept, for how long, on what basis and under which holds, judged against one
 * {@link ComplianceFramework}, with the findings that need attention. Made by
 * {@link PrivacyManager#complianceReport(ComplianceFramework)}.
 *
 * @param framework   the framework
 * @param generatedAt when the report was made
 * @param rights      the data-subject rights and how they are served
 * @param recordings  one entry per stored recording
 * @param findings    everything that does not meet the framework, one sentence each
 */
public record FrameworkReport(ComplianceFramework framework, @JsonProperty("generated_at") Instant generatedAt,
                              String rights, List<Item> recordings, List<String> findings) {

    public FrameworkReport {
        recordings = List.copyOf(recordings);
        findings = List.copyOf(findings);
    }

    /**
     * One stored recording.
     *
     * @param name      the recording
     * @param userId    whose conversation it is
     * @param kept      what is stored: transcript, audio, redaction audit
     * @param retention how long its data class is kept
     * @param expiresAt when it becomes due for deletion
     * @param basis     why it may be kept
     * @param legalHold the hold's reason, if held
     * @param encrypted whether it is encrypted at rest
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String name, @JsonProperty("user_id") String userId, List<String> kept, Duration retention,
                       @JsonProperty("expires_at") Instant expiresAt, String basis,
                       @JsonProperty("legal_hold") String legalHold, boolean encrypted) {
        public Item {
            kept = List.copyOf(kept);
        }
    }

    /** The report as plain text for a terminal or a ticket. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("Compliance report: ").append(framework.title()).append('\n');
        b.append("Generated: ").append(generatedAt).append('\n');
        b.append("Rights: ").append(rights).append("\n\n");
        for (Item i : recordings) {
            b.append(i.name()).append(" (user ").append(i.userId()).append(")\n");
            b.append("  kept:      ").append(String.join(", ", i.kept())).append(i.encrypted() ? ", encrypted at rest" : ", not encrypted").append('\n');
            b.append("  retention: ").append(i.retention().toDays()).append(" days, due for deletion ").append(i.expiresAt()).append('\n');
            b.append("  basis:     ").append(i.basis()).append('\n');
            if (i.legalHold() != null) {
                b.append("  hold:      ").append(i.legalHold()).append('\n');
            }
        }
        b.append('\n').append(findings.isEmpty() ? "No findings.\n" : "Findings:\n");
        for (String f : findings) {
            b.append("  - ").append(f).append('\n');
        }
        return b.toString();
    }
}
