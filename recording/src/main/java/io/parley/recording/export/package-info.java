/**
 * Exporting recordings as txt, md, json, csv, xml, html, pdf or zip, one at a time or by date range.
 */
package io.parley.recording.export;
