package io.parley.recording.privacy;

import java.util.Locale;

/**
 * A privacy framework a {@link FrameworkReport} is written for: how it names the basis for
 * keeping a recording and what it requires of stored conversations.
 */
public enum ComplianceFramework {
    /** EU General Data Protection Regulation. */
    GDPR("GDPR (EU 2016/679)",
            "consent of the data subject (Art. 6(1)(a)); withdrawable at any time (Art. 7(3))",
            "legal hold: establishment, exercise or defence of legal claims (Art. 17(3)(e))",
            "access (Art. 15), erasure (Art. 17), portability (Art. 20): export-my-data and delete-user-data"),
    /** California Consumer Privacy Act as amended by the CPRA. */
    CCPA("CCPA/CPRA (Cal. Civ. Code 1798.100 ff.)",
            "notice at collection with the consumer's consent to recording (1798.100(a)); no sale or sharing",
            "legal hold: compliance with legal obligations and legal claims (1798.105(d))",
            "right to know (1798.110), delete (1798.105), correct (1798.106): export-my-data and delete-user-data"),
    /** US Health Insurance Portability and Accountability Act (Privacy and Security Rules). */
    HIPAA("HIPAA (45 CFR Parts 160 and 164)",
            "patient authorization to record (45 CFR 164.508) or treatment, payment and operations (164.506)",
            "legal hold: required by law or judicial proceedings (45 CFR 164.512(a), (e))",
            "access (164.524) and accounting of disclosures (164.528); ePHI encrypted at rest (164.312(a)(2)(iv))");

    private final String title;
    private final String consentBasis;
    private final String holdBasis;
    private final String rights;

    ComplianceFramework(String title, String consentBasis, String holdBasis, String rights) {
        this.title = title;
        this.consentBasis = consentBasis;
        this.holdBasis = holdBasis;
        this.rights = rights;
    }

    /** The framework's full name. */
    public String title() {
        return title;
    }

    /** The basis for a recording made with the user's consent in force. */
    public String consentBasis() {
        return consentBasis;
    }

    /** The basis for keeping a recording under legal hold. */
    public String holdBasis() {
        return holdBasis;
    }

    /** The data-subject rights the framework grants and how Parley serves them. */
    public String rights() {
        return rights;
    }

    /**
     * The framework named {@code gdpr}, {@code ccpa} or {@code hipaa} (any case).
     *
     * @throws IllegalArgumentException for another name
     */
    public static ComplianceFramework parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown compliance framework '" + name + "'; use gdpr, ccpa or hipaa", e);
        }
    }
}
