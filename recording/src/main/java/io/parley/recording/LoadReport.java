package io.parley.recording;

import java.util.List;

/**
 * What loading a recording found wrong and worked around. A recording interrupted by a crash
 * loads with every complete event; this says what was lost.
 *
 * @param cleanlyStopped whether the recording was stopped (rather than cut off mid-write)
 * @param tornLines      incomplete lines at the end of the event log that were skipped
 * @param damagedLines   complete lines in the middle that could not be read and were skipped
 * @param audioTruncated whether the audio ended without its final block (or end record)
 * @param logTruncated   whether an event log ended without its end marker: cut off by a crash
 *                       or shortened afterwards, so events after the last one read may be lost
 * @param problems       human-readable description of each problem
 */
public record LoadReport(boolean cleanlyStopped, int tornLines, int damagedLines, boolean audioTruncated,
                         boolean logTruncated, List<String> problems) {

    public LoadReport {
        problems = List.copyOf(problems);
    }

    /** A report about a recording whose logs were complete (for recordings built in memory). */
    public LoadReport(boolean cleanlyStopped, int tornLines, int damagedLines, boolean audioTruncated,
                      List<String> problems) {
        this(cleanlyStopped, tornLines, damagedLines, audioTruncated, false, problems);
    }

    /** Whether anything was lost or repaired. */
    public boolean damaged() {
        return tornLines > 0 || damagedLines > 0 || audioTruncated || logTruncated;
    }
}
