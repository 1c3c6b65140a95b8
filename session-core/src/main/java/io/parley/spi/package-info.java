/**
 * The service-provider interfaces a session is built from: speech-to-text, text-to-speech,
 * voice activity detection, turn detection, noise cancellation and transports.
 *
 * <h2>Threading contract</h2>
 * A session runs its logic on a serialized event loop multiplexed with other sessions on the
 * {@link io.parley.time.Clock}'s small shared pool, which also fires every timer and paces
 * every session's outbound audio. Nothing may block there. The session therefore calls:
 * <ul>
 *   <li><b>on the clock's blocking pool</b> ({@link io.parley.time.Clock#executeBlocking}),
 *       never on the loop or timer threads: {@link io.parley.spi.SttProvider#open},
 *       {@link io.parley.spi.TtsProvider#open}, {@link io.parley.spi.VadProvider#create},
 *       {@link io.parley.spi.Transport#start}, {@link io.parley.spi.Transport#close},
 *       {@link io.parley.spi.SttStream#close}, {@link io.parley.spi.TtsStream#cancel} and
 *       {@link io.parley.spi.TtsStream#close}. These may block (connect, hand-shake, drain).</li>
 *   <li><b>on the event loop</b>, and so must return without blocking on I/O:
 *       {@link io.parley.spi.SttStream#finalizeUtterance}, {@link io.parley.spi.TtsStream#pushText},
 *       {@link io.parley.spi.TtsStream#flush}, {@link io.parley.spi.Transport#send},
 *       {@link io.parley.spi.Transport#clearPlayback}, pause and resume,
 *       {@link io.parley.spi.Transport#playedSamples} and every
 *       {@link io.parley.spi.TurnDetector} method.</li>
 *   <li><b>on the thread that delivers inbound audio</b> (the transport's or the host's),
 *       one thread at a time: {@link io.parley.spi.SttStream#write},
 *       {@link io.parley.spi.Vad#process} and {@link io.parley.spi.NoiseCanceller}.</li>
 * </ul>
 * Listener callbacks ({@link io.parley.spi.SttListener}, {@link io.parley.spi.TtsListener},
 * {@link io.parley.spi.TransportListener}) may come from any thread; the session only posts
 * them to its loop. Failures are reported as {@link io.parley.session.SessionException}s whose
 * code and {@code retryable()} flag decide retries and fallbacks.
 */
package io.parley.spi;
