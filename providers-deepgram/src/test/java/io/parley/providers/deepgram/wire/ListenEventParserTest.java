package io.parley.providers.deepgram.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import org.junit.jupiter.api.Test;

class ListenEventParserTest {

    private final ListenEventParser parser = new ListenEventParser();

    @Test
    void parsesRealResultsMessage() {
        String json = "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.98,\"start\":5.99,\"is_final\":true,"
                + "\"speech_final\":true,\"channel\":{\"alternatives\":[{\"transcript\":\"Tell me more about this.\",\"confidence\":0.99964225,"
                + "\"words\":[{\"word\":\"tell\",\"start\":6.0699997,\"end\":6.3499994,\"confidence\":0.99782443,\"punctuated_word\":\"Tell\"},"
                + "{\"word\":\"me\",\"start\":6.3499994,\"end\":6.6299996,\"confidence\":0.9998324,\"punctuated_word\":\"me\"}]}]},"
                + "\"metadata\":{\"request_id\":\"52cc0efe-fa77-4aa7-b79c-0dda09de2f14\",\"model_info\":{\"name\":\"2-general-nova\","
                + "\"version\":\"2024-01-18.26916\",\"arch\":\"nova-2\"},\"model_uuid\":\"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c\"},\"from_finalize\":false}";
        ListenEvent.Results r = (ListenEvent.Results) parser.parse(json);
        assertThat(r.channel()).isZero();
        assertThat(r.channels()).isEqualTo(1);
        assertThat(r.start()).isEqualTo(5.99);
        assertThat(r.end()).isEqualTo(5.99 + 1.98);
        assertThat(r.isFinal()).isTrue();
        assertThat(r.speechFinal()).isTrue();
        assertThat(r.fromFinalize()).isFalse();
        assertThat(r.transcript()).isEqualTo("Tell me more about this.");
        assertThat(r.confidence()).isEqualTo(0.99964225);
        assertThat(r.words()).containsExactly(
                new ListenEvent.ResultWord("tell", "Tell", 6.0699997, 6.3499994, 0.99782443, -1),
                new ListenEvent.ResultWord("me", "me", 6.3499994, 6.6299996, 0.9998324, -1));
        assertThat(r.language()).isEmpty();
    }

    @Test
    void toleratesAnyFieldOrderExtraAlternativesLanguagesAndSpeakers() {
        String json = "{\"from_finalize\":true,\"channel\":{\"alternatives\":[{\"words\":[{\"word\":\"hello\",\"start\":15.259043,"
                + "\"end\":15.338787,\"confidence\":0.9721591,\"speaker\":0,\"language\":\"en\"}],\"languages\":[\"en\",\"es\"],"
                + "\"confidence\":0.97,\"transcript\":\"hello\"},{\"transcript\":\"yellow\",\"confidence\":0.2,\"words\":[]}]},"
                + "\"entities\":[{\"label\":\"X\"}],\"channel_index\":[1,2],\"is_final\":true,\"speech_final\":false,\"start\":15.0,"
                + "\"duration\":0.5,\"type\":\"Results\"}";
        ListenEvent.Results r = (ListenEvent.Results) parser.parse(json);
        assertThat(r.channel()).isEqualTo(1);
        assertThat(r.channels()).isEqualTo(2);
        assertThat(r.transcript()).isEqualTo("hello");
        assertThat(r.language()).isEqualTo("en");
        assertThat(r.fromFinalize()).isTrue();
        assertThat(r.words()).singleElement().satisfies(w -> {
            assertThat(w.speaker()).isZero();
            assertThat(w.punctuatedWord()).isEmpty();
        });
    }

    @Test
    void parsesEmptyFinal() {
        ListenEvent.Results r = (ListenEvent.Results) parser.parse("{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.0,"
                + "\"start\":0.0,\"is_final\":true,\"speech_final\":true,\"channel\":{\"alternatives\":[{\"transcript\":\"\","
                + "\"confidence\":0.0,\"words\":[]}]}}");
        assertThat(r.transcript()).isEmpty();
        assertThat(r.words()).isEmpty();
        assertThat(r.speechFinal()).isTrue();
    }

    @Test
    void parsesUtteranceEndWithTypeLast() {
        assertThat(parser.parse("{\"channel\":[0,1],\"last_word_end\":2.395,\"type\":\"UtteranceEnd\"}"))
                .isEqualTo(new ListenEvent.UtteranceEnd(0, 2.395));
    }

    @Test
    void parsesSpeechStarted() {
        assertThat(parser.parse("{\"type\":\"SpeechStarted\",\"channel\":[0,1],\"timestamp\":9.54}"))
                .isEqualTo(new ListenEvent.SpeechStarted(0, 9.54));
    }

    @Test
    void parsesBothRealMetadataShapes() {
        assertThat(parser.parse("{\"type\":\"Metadata\",\"transaction_key\":\"deprecated\",\"request_id\":"
                + "\"deda472a-6bf0-4ea4-88c5-0d235032c6f4\",\"sha256\":\"fc4e\",\"created\":\"2024-10-23T14:57:23.420Z\","
                + "\"duration\":0.0,\"channels\":0}"))
                .isEqualTo(new ListenEvent.Metadata("deda472a-6bf0-4ea4-88c5-0d235032c6f4", 0.0));
        assertThat(parser.parse("{\"type\":\"Metadata\",\"transaction_key\":\"deprecated\",\"request_id\":"
                + "\"01a03ac3-92a1-79f0-ad85-2cee59754422\",\"sha256\":\"incomplete\",\"created\":\"2026-08-25T21:11:31.685Z\","
                + "\"duration\":44.259937,\"channels\":1,\"models\":[\"7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b\"],\"model_info\":"
                + "{\"7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b\":{\"name\":\"2-phonecall-nova\",\"version\":\"2024-02-07.20824\",\"arch\":\"nova-2\"}}}"))
                .isEqualTo(new ListenEvent.Metadata("01a03ac3-92a1-79f0-ad85-2cee59754422", 44.259937));
    }

    @Test
    void unknownTypesAreReportedNotRejected() {
        assertThat(parser.parse("{\"type\":\"Warning\",\"warn_code\":\"X\",\"warn_msg\":{\"nested\":1}}"))
                .isEqualTo(new ListenEvent.Unknown("Warning"));
    }

    @Test
    void errorMessagesCarryTheirDescriptionMessageAndVariant() {
        assertThat(parser.parse("{\"type\":\"Error\",\"description\":\"x\",\"message\":\"y\",\"variant\":\"z\"}"))
                .isEqualTo(new ListenEvent.Error("x", "y", "z"));
        assertThat(parser.parse("{\"message\":{\"odd\":true},\"type\":\"Error\"}"))
                .isEqualTo(new ListenEvent.Error("", "", ""));
    }

    @Test
    void rejectsNonJsonButSkipsAMissingType() {
        assertThatThrownBy(() -> parser.parse("not json")).isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).code()).isEqualTo(ErrorCode.PROVIDER_PROTOCOL));
        assertThatThrownBy(() -> parser.parse("[1,2]")).isInstanceOf(SessionException.class)
                .hasMessageContaining("not a JSON object");
        assertThat(parser.parse("{\"channel\":[0,1]}")).isInstanceOf(ListenEvent.Untyped.class);
        assertThat(parser.parse("{\"type\":7,\"channel\":[0,1]}")).isInstanceOf(ListenEvent.Untyped.class);
        assertThatThrownBy(() -> parser.parse("{\"type\":\"Results\",\"start\":")).isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).code()).isEqualTo(ErrorCode.PROVIDER_PROTOCOL));
    }
}
