package io.parley.recording.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * How exports look.
 *
 * @param zone         time zone for shown times
 * @param includeAudio whether exports carry the audio: a ZIP gets {@code audio.wav}; an HTML report
 *                     exported to a folder gets {@code <name>.wav} beside it, which its player references
 * @param pdfFont      a TrueType font for PDF text; without one the built-in Helvetica is used,
 *                     which can only show Western European characters (others print as '?' and
 *                     the document says so)
 * @param audioHref    for an HTML report written to a stream: the URL its player loads the audio
 *                     from (e.g. a server route); empty for a report without a player
 */
public record ExportOptions(ZoneId zone, boolean includeAudio, Optional<Path> pdfFont, Optional<String> audioHref) {

    private static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

    public ExportOptions {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(pdfFont, "pdfFont");
        Objects.requireNonNull(audioHref, "audioHref");
        pdfFont.ifPresent(p -> {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("PDF font " + p + " does not exist");
            }
        });
    }

    /** UTC, audio included, DejaVu Sans for PDF when the system has it. */
    public static ExportOptions defaults() {
        return new ExportOptions(ZoneId.of("UTC"), true, Files.isRegularFile(DEJAVU) ? Optional.of(DEJAVU) : Optional.empty(),
                Optional.empty());
    }

    /** These options showing times in {@code zone}. */
    public ExportOptions withZone(ZoneId zone) {
        return new ExportOptions(zone, includeAudio, pdfFont, audioHref);
    }

    /** These options with or without audio. */
    public ExportOptions withAudio(boolean include) {
        return new ExportOptions(zone, include, pdfFont, audioHref);
    }

    /** These options with another PDF font (empty for the built-in Helvetica). */
    public ExportOptions withPdfFont(Optional<Path> font) {
        return new ExportOptions(zone, includeAudio, font, audioHref);
    }

    /** These options with the URL an HTML report's player loads the audio from (empty for none). */
    public ExportOptions withAudioHref(Optional<String> href) {
        return new ExportOptions(zone, includeAudio, pdfFont, href);
    }
}
