/**
 * Consent, redaction before storage, retention per data class, data-subject requests and compliance reports.
 */
package io.parley.recording.privacy;
