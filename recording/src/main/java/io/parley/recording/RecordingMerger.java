package io.parley.recording;

import io.parley.recording.RecordingException.Problem;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.privacy.RedactionRecord;
import io.parley.recording.store.RecordingStore;
import io.parley.recording.store.RecordingWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Merges recordings into a new one: events interleaved chronologically and renumbered, audio
 * laid end to end in the order the recordings began (each keeps its own capture segments, so
 * events stay in sync with it), redaction audits carried over. The sources are left untouched.
 * Recordings that overlap in time keep all their events, but an event is synchronized with the
 * audio of whichever recording's capture started last before it.
 */
public final class RecordingMerger {

    private RecordingMerger() {
    }

    /**
     * Merges {@code names} into a new recording {@code output}.
     *
     * @throws IllegalArgumentException for fewer than two distinct names
     * @throws RecordingException       NOT_FOUND for a missing source, ALREADY_EXISTS for a taken
     *                                  output name, WRONG_STATE if the audio sample rates differ
     */
    public static RecordingMetadata merge(RecordingStore store, List<String> names, String output) {
        RecordingMetadata.checkName(output);
        List<String> distinct = List.copyOf(new LinkedHashSet<>(names));
        if (distinct.size() < 2) {
            throw new IllegalArgumentException("merge needs at least two different recordings, got " + names);
        }
        if (store.exists(output)) {
            throw new RecordingException(Problem.ALREADY_EXISTS, "a recording named '" + output + "' already exists");
        }
        List<Recording> sources = new ArrayList<>();
        for (String n : distinct) {
            sources.add(store.load(n));
        }
        sources.sort(Comparator.comparing(r -> r.metadata().createdAt()));
        int rate = 0;
        for (Recording r : sources) {
            int rr = r.metadata().sampleRate();
            if (rr != 0 && rate != 0 && rr != rate) {
                throw new RecordingException(Problem.WRONG_STATE, "cannot merge audio recorded at " + rate + " Hz and "
                        + rr + " Hz (" + r.name() + ")");
            }
            rate = rr == 0 ? rate : rr;
        }
        RecordingMetadata first = sources.get(0).metadata();
        Instant created = first.createdAt();
        Instant updated = sources.stream().map(r -> r.metadata().updatedAt()).max(Comparator.naturalOrder()).orElseThrow();

        record Tagged(RecordingEvent event, String source, int order) {
        }
        List<Tagged> all = new ArrayList<>();
        int order = 0;
        for (Recording r : sources) {
            for (RecordingEvent e : r.events()) {
                all.add(new Tagged(e, r.name(), order++));
            }
        }
        all.sort(Comparator.comparing((Tagged t) -> t.event().timestamp()).thenComparingInt(Tagged::order));

        RecordingMetadata m = new RecordingMetadata(output, first.sessionId(), first.userId(), first.userName(),
                first.agentId(), first.agentName(), first.model(), first.dataClass(), created, updated,
                RecordingStatus.RECORDING, rate, List.of(), false, null, 0);
        RecordingWriter w = store.createStaged(m);
        try {
            long seq = 0;
            w.append(RecordingEvent.of(EventType.SYSTEM_MESSAGE, created, "system", "system",
                    "merged from " + String.join(", ", distinct)).withCode("merged").withSeq(++seq));
            Map<String, Long> newSeq = new HashMap<>();
            for (Tagged t : all) {
                RecordingEvent e = t.event().withSeq(++seq);
                newSeq.put(t.source() + "#" + t.event().seq(), e.seq());
                w.append(e);
            }
            RecordingMetadata out = w.metadata();
            long late = 0;
            for (Recording r : sources) {
                for (RedactionRecord red : r.redactions()) {
                    Long s = newSeq.get(r.name() + "#" + red.seq());
                    if (s != null) {
                        w.audit(new RedactionRecord(s, red.timestamp(), red.rule(), red.count()));
                    }
                }
                late += r.metadata().lateAudioMs();
                Optional<io.parley.recording.audio.AudioTrack> audio = r.audio();
                if (rate == 0 || audio.isEmpty()) {
                    continue;
                }
                long offset = w.audioFrames();
                for (Segment s : r.metadata().segments()) {
                    out = out.withSegment(new Segment(s.startedAt(), s.audioFrame() + offset));
                }
                copyAudio(audio.get(), w);
            }
            w.updateMetadata(out.withStatus(RecordingStatus.STOPPED, updated).withStorage(out.sampleRate(),
                    out.compressed(), out.keyId(), late));
            RecordingMetadata done = w.metadata();
            w.close();
            return done;
        } catch (RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    private static void copyAudio(AudioTrack track, RecordingWriter w) {
        short[] buf = new short[2 * 8192];
        long pos = 0;
        int n;
        while ((n = track.read(pos, buf, 8192)) > 0) {
            w.appendAudio(buf, 0, 2 * n);
            pos += n;
        }
    }
}
