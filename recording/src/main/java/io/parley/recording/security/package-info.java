/**
 * Encryption at rest: AES-256-GCM sealing of log lines and of chunked files, with keys from a {@link io.parley.recording.security.KeyProvider}.
 */
package io.parley.recording.security;
