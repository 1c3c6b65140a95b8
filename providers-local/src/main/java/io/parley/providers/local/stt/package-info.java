/**
 * Offline speech-to-text: {@link io.parley.providers.local.stt.PocketSphinxStt} (CMU PocketSphinx
 * through JNA, free-form or JSGF grammar) and the optional
 * {@link io.parley.providers.local.stt.VoskStt} for a Vosk model you supply.
 */
package io.parley.providers.local.stt;
