package io.parley.recording.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.EventType;
import java.time.Instant;
import java.util.List;

/**
 * The shape of JSON and XML exports.
 *
 * @param session         recording name
 * @param date            when it began
 * @param durationSeconds how long it ran
 * @param messageCount    number of messages
 * @param user            the recorded user's name
 * @param agent           the agent's name
 * @param messages        the messages in order
 * @param tags            the tags in order
 */
@JacksonXmlRootElement(localName = "recording")
@JsonPropertyOrder({"session", "date", "duration_seconds", "message_count", "user", "agent", "messages", "tags"})
record TranscriptDocument(String session, Instant date, @JsonProperty("duration_seconds") long durationSeconds,
                          @JsonProperty("message_count") int messageCount, String user, String agent,
                          @JacksonXmlElementWrapper(localName = "messages") @JacksonXmlProperty(localName = "message")
                          List<Message> messages,
                          @JacksonXmlElementWrapper(localName = "tags") @JacksonXmlProperty(localName = "tag")
                          List<Tag> tags) {

    /** One message. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"timestamp", "offset_ms", "author", "author_id", "content", "type", "model", "attachments",
            "interrupted", "intended_content", "confidence"})
    record Message(Instant timestamp, @JsonProperty("offset_ms") long offsetMs, String author,
                   @JsonProperty("author_id") String authorId, String content, String type, String model,
                   @JacksonXmlElementWrapper(localName = "attachments") @JacksonXmlProperty(localName = "attachment")
                   List<String> attachments,
                   Boolean interrupted, @JsonProperty("intended_content") String intendedContent, Double confidence) {
    }

    /** One tag. */
    record Tag(String label, Instant timestamp, @JsonProperty("offset_ms") long offsetMs) {
    }

    static TranscriptDocument of(Recording r) {
        List<Message> msgs = r.messages().stream().map(e -> new Message(e.timestamp(), r.audioOffset(e).toMillis(),
                e.author(), e.authorId(), e.content(), e.type().wireName(), e.model(), e.attachments(), e.interrupted(),
                e.intendedContent(), e.confidence())).toList();
        List<Tag> tags = r.events().stream().filter(e -> e.type() == EventType.TAG)
                .map((RecordingEvent e) -> new Tag(e.content(), e.timestamp(), r.audioOffset(e).toMillis())).toList();
        return new TranscriptDocument(r.name(), r.metadata().createdAt(), r.duration().toSeconds(), msgs.size(),
                r.metadata().userName(), r.metadata().agentName(), msgs, tags);
    }

    /** This document with every character XML 1.0 cannot carry written as a visible escape (a backslash, 'u' and four hex digits). */
    TranscriptDocument xmlSafe() {
        List<Message> msgs = messages.stream().map(m -> new Message(m.timestamp(), m.offsetMs(), xml(m.author()),
                xml(m.authorId()), xml(m.content()), m.type(), xml(m.model()),
                m.attachments() == null ? null : m.attachments().stream().map(TranscriptDocument::xml).toList(),
                m.interrupted(), xml(m.intendedContent()), m.confidence())).toList();
        List<Tag> t = tags.stream().map(x -> new Tag(xml(x.label()), x.timestamp(), x.offsetMs())).toList();
        return new TranscriptDocument(xml(session), date, durationSeconds, messageCount, xml(user), xml(agent), msgs, t);
    }

    static String xml(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                    || (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                    || (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
            if (!ok && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                if (ok) {
                    b.append(c);
                } else {
                    b.append(String.format("\\u%04X", (int) c));
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
