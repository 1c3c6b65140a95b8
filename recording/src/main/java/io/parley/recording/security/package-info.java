/**
 * Encryption at rest with AES-256-GCM and keys from a {@link io.parley.recording.security.KeyProvider}
 * (key ids are stored, so keys can be rotated).
 *
 * <p>Entry points for hosts that keep transcripts elsewhere (a server's database, an object store):
 * <ul>
 *   <li>{@link io.parley.recording.security.LineSealer} seals one string (a transcript, a JSON
 *       document) into one printable line and opens it again; the {@code index} binds the value to
 *       its place (e.g. a row id), so a sealed value copied to another row fails to open.</li>
 *   <li>{@link io.parley.recording.security.SealedOutputStream} and
 *       {@link io.parley.recording.security.SealedInputStream} encrypt a byte stream of any size in
 *       authenticated chunks with constant memory; a stream cut short is detected.</li>
 *   <li>{@link io.parley.recording.security.BlockSealer} seals numbered blocks of a random-access file.</li>
 * </ul>
 * A wrong key or an altered byte raises {@link io.parley.recording.RecordingException} with
 * {@code DECRYPTION_FAILED}; nothing unauthenticated is ever returned.
 */
package io.parley.recording.security;
