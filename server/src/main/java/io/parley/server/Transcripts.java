package io.parley.server;

import io.parley.recording.EventType;
import io.parley.recording.LoadReport;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingMetadata;
import io.parley.recording.RecordingStatus;
import io.parley.recording.export.ExportFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A session's conversation as a {@link Recording}, so the recording module's exporters apply. */
final class Transcripts {

    private Transcripts() {
    }

    static Recording recording(SessionRow row, List<Log.Message> messages, List<Store.Member> members) {
        List<RecordingEvent> events = new ArrayList<>();
        long seq = 1;
        for (Log.Message m : messages) {
            EventType type = switch (m.kind()) {
                case Log.Message.USER -> EventType.USER_MESSAGE;
                case Log.Message.AGENT -> EventType.BOT_RESPONSE;
                default -> EventType.SYSTEM_MESSAGE;
            };
            events.add(RecordingEvent.of(type, Instant.ofEpochMilli(m.at()), m.speaker(), m.speakerId(), m.text())
                    .withSeq(seq++));
        }
        Instant created = Instant.ofEpochMilli(row.createdAt());
        Instant updated = messages.isEmpty() ? created : Instant.ofEpochMilli(messages.get(messages.size() - 1).at());
        String people = String.join(", ", members.stream().map(Store.Member::name).toList());
        RecordingMetadata meta = new RecordingMetadata("session-" + row.id(), row.id(), row.creatorId(),
                people.isEmpty() ? "participants" : people, "agent", "Agent", null, "default", created, updated,
                RecordingStatus.STOPPED, 0, List.of(), false, null, 0);
        return new Recording(meta, events, Optional::empty, List.of(),
                new LoadReport(true, 0, 0, false, List.of()), 0);
    }

    static String contentType(ExportFormat f) {
        return switch (f) {
            case JSON -> "application/json";
            case MD -> "text/markdown; charset=utf-8";
            case HTML -> "text/html; charset=utf-8";
            case PDF -> "application/pdf";
            default -> "text/plain; charset=utf-8";
        };
    }
}
