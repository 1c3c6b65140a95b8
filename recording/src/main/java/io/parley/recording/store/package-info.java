/**
 * Where recordings live: the {@link io.parley.recording.store.RecordingStore} SPI and its crash-tolerant filesystem default, with listing, search, tags and legal holds.
 */
package io.parley.recording.store;
