/**
 * Where recordings live: the {@link io.parley.recording.store.RecordingStore} SPI and its
 * filesystem default, with listing, search, tags and legal holds.
 *
 * <p>{@link io.parley.recording.store.FileRecordingStore} never loses what it confirmed: every
 * change is an append to a journal or a new file forced to disk and renamed into place; each
 * start or reopen writes a new segment instead of rewriting stored data; finished logs end with a
 * marker that counts their events (sealed like the rest in an encrypted store), so a file cut
 * anywhere, even at a line or block boundary, is reported in the
 * {@link io.parley.recording.LoadReport}. Compressed and encrypted audio is stored in independent
 * blocks, so loading, seeking, replaying and exporting an hour-long recording stay within a few
 * megabytes of heap. In an encrypted store metadata, the index and legal holds are sealed too;
 * only recording names (folder names) stay readable.
 */
package io.parley.recording.store;
