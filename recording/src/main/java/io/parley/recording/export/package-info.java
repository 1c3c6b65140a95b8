/**
 * Exporting recordings as txt, md, json, csv, xml, html, pdf or zip, one at a time or by date range.
 *
 * <p>For hosts serving exports (e.g. over HTTP), {@link io.parley.recording.export.RecordingExporter#export(
 * io.parley.recording.Recording, io.parley.recording.export.ExportFormat, java.io.OutputStream)} streams
 * any format to a response body in constant memory. The HTML and PDF call report (waveform of both
 * channels, who spoke when with overlaps and barge-ins, latency per turn, transcript) references
 * its audio instead of embedding it: give the URL that serves the audio with
 * {@link io.parley.recording.export.ExportOptions#withAudioHref}. Anonymized copies for sharing come
 * from {@link io.parley.recording.privacy.Anonymizer}.
 */
package io.parley.recording.export;
