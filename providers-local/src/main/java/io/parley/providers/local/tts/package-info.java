/**
 * Offline text-to-speech: {@link io.parley.providers.local.tts.FreeTtsTts} (pure Java, BSD) and
 * the optional {@link io.parley.providers.local.tts.EspeakTts} (eSpeak NG through JNA, GPL-3, loaded
 * only when you create it).
 */
package io.parley.providers.local.tts;
