package io.parley.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each protocol reads its provider's documented samples and writes exactly the documented shapes. */
class ProtocolTest {

    private final InboundMessage m = new InboundMessage();

    private InboundMessage read(MediaStreamProtocol p, String text) {
        m.reset();
        p.read(text, m);
        return m;
    }

    private CallInfo start(Dialect d) {
        InboundMessage s = read(d.protocol, d.samples.text("in start"));
        assertThat(s.kind()).isEqualTo(InboundMessage.Kind.START);
        return s.call().build();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void readsDocumentedInboundMessages(Dialect d) {
        CallInfo call = start(d);
        assertThat(call.protocol()).isEqualTo(d.protocol.name());
        assertThat(call.encoding()).isEqualTo(d.encoding);
        assertThat(call.sampleRate()).isEqualTo(8000);
        assertThat(call.streamId()).isIn("MZ1", "S1", "s1");
        assertThat(call.callId()).isIn("CA1", "v3:C", "c1");

        InboundMessage media = read(d.protocol, d.samples.text("in media"));
        assertThat(media.kind()).isEqualTo(InboundMessage.Kind.MEDIA);
        assertThat(Arrays.copyOf(media.payload(), media.payloadLength())).isEqualTo(Base64.getDecoder().decode("//////////8="));
        assertThat(media.chunk()).isPositive();
        assertThat(media.timestampMillis()).isPositive();
        assertThat(media.sequence()).isPositive();
        assertThat(media.streamIdMatches(call.streamId())).isTrue();

        InboundMessage dtmf = read(d.protocol, d.samples.text("in dtmf"));
        assertThat(dtmf.kind()).isEqualTo(InboundMessage.Kind.DTMF);
        assertThat(dtmf.digit()).isIn('5', '1');
        assertThat(dtmf.durationMillis()).isEqualTo(d == Dialect.EXOTEL ? 100 : -1);

        InboundMessage mark = read(d.protocol, d.samples.text("in mark"));
        assertThat(mark.kind()).isEqualTo(InboundMessage.Kind.MARK);
        assertThat(mark.name()).isIn("utt-3", "m1", "n1");

        if (d.samples.has("in stop")) {
            assertThat(read(d.protocol, d.samples.text("in stop")).kind()).isEqualTo(InboundMessage.Kind.STOP);
        }
    }

    @Test
    void twilioStartCarriesTracksAndCustomParameters() {
        CallInfo call = start(Dialect.TWILIO);
        assertThat(call.accountId()).isEqualTo("AC1");
        assertThat(call.tracks()).containsExactly("inbound");
        assertThat(call.customParameters()).containsEntry("lang", "en");
    }

    @Test
    void telnyxStartCarriesNumbersAndErrorsAreTyped() {
        CallInfo call = start(Dialect.TELNYX);
        assertThat(call.from()).isEqualTo("+1555");
        assertThat(call.to()).isEqualTo("+1556");
        assertThat(call.customParameters()).containsEntry("k", "v");
        InboundMessage err = read(MediaStreamProtocol.telnyx(), Dialect.TELNYX.samples.text("in error"));
        assertThat(err.kind()).isEqualTo(InboundMessage.Kind.INVALID);
        assertThat(err.problem()).isEqualTo(Problem.PROVIDER_ERROR);
        assertThat(err.detail()).contains("malformed_frame").contains("100003");
    }

    @Test
    void exotelStartCarriesNumbersAndItsEncodingsAreTyped() {
        CallInfo call = start(Dialect.EXOTEL);
        assertThat(call.from()).isEqualTo("+919876543210");
        assertThat(call.to()).isEqualTo("+918047491899");
        assertThat(call.accountId()).isEqualTo("AC1");
        assertThat(call.customParameters()).containsEntry("lang", "en");
        assertThat(MediaStreamProtocol.exotel().mediaFrameMillis()).isEqualTo(20);
        String mulaw = Samples.set(Dialect.EXOTEL.samples.get("in start"), "start.media_format.encoding", "audio/x-mulaw").toString();
        assertThat(read(MediaStreamProtocol.exotel(), mulaw).call().build().encoding()).isEqualTo(WireEncoding.MULAW);
        String wide = Samples.set(Dialect.EXOTEL.samples.get("in start"), "start.media_format.sample_rate", "16000").toString();
        assertThat(read(MediaStreamProtocol.exotel(), wide).call().build().sampleRate()).isEqualTo(16000);
        String opus = Samples.set(Dialect.EXOTEL.samples.get("in start"), "start.media_format.encoding", "audio/opus").toString();
        InboundMessage s = read(MediaStreamProtocol.exotel(), opus);
        assertThat(s.problem()).isEqualTo(Problem.MALFORMED);
        assertThat(s.detail()).contains("audio/opus");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void writesDocumentedOutboundShapes(Dialect d) throws Exception {
        CallInfo call = start(d);
        byte[] audio = Base64.getDecoder().decode("//////////8=");
        JsonNode mark = d.samples.get("out mark");
        String name = Samples.at(mark, d.outMarkName);

        StringBuilder out = new StringBuilder();
        d.protocol.writeMedia(call, audio, audio.length, out);
        assertThat(Samples.JSON.readTree(out.toString())).isEqualTo(d.samples.get("out media"));
        out.setLength(0);
        d.protocol.writeMark(call, name, out);
        assertThat(Samples.JSON.readTree(out.toString())).isEqualTo(mark);
        out.setLength(0);
        d.protocol.writeClear(call, out);
        assertThat(Samples.JSON.readTree(out.toString())).isEqualTo(d.samples.get("out clear"));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void malformedMessagesAreTypedNotThrown(Dialect d) {
        MediaStreamProtocol p = d.protocol;
        assertThat(read(p, "not json").problem()).isEqualTo(Problem.MALFORMED);
        assertThat(read(p, "[1,2]").problem()).isEqualTo(Problem.MALFORMED);
        assertThat(read(p, "{\"foo\":1}").problem()).isEqualTo(Problem.MALFORMED);
        assertThat(read(p, "{\"event\":\"media\"} trailing").problem()).isEqualTo(Problem.MALFORMED);
        assertThat(read(p, "{\"event\":\"teleport\"}").problem()).isEqualTo(Problem.UNKNOWN_EVENT);
        assertThat(read(p, "{\"a\":" + "{\"b\":".repeat(20) + "1" + "}".repeat(21)).problem()).isEqualTo(Problem.MALFORMED);

        String bad = Samples.set(d.samples.get("in media"), d.payload, "@@not base64@@").toString();
        assertThat(read(p, bad).problem()).isEqualTo(Problem.BAD_PAYLOAD);
        String unpadded = Samples.set(d.samples.get("in media"), d.payload, "/////").toString();
        assertThat(read(p, unpadded).problem()).isEqualTo(Problem.BAD_PAYLOAD);
        String digit = Samples.set(d.samples.get("in dtmf"), d.digit, "x").toString();
        assertThat(read(p, digit).problem()).isEqualTo(Problem.MALFORMED);
        assertThat(read(p, "\u0000\u0001").problem()).isEqualTo(Problem.MALFORMED);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theConnectionsParserReadsOnAfterEveryKindOfBrokenMessage(Dialect d) {
        MediaStreamProtocol p = d.protocol;
        String media = d.samples.text("in media");
        String[] broken = {"{\"event\":\"me", media + " \"open string", media + " 12", media + "{", "", "   ", "{}}", "]"};
        for (String b : broken) {
            assertThat(read(p, b).problem()).as(b).isEqualTo(Problem.MALFORMED);
            InboundMessage m = read(p, media);
            assertThat(m.kind()).as("media after %s", b).isEqualTo(InboundMessage.Kind.MEDIA);
            assertThat(Arrays.copyOf(m.payload(), m.payloadLength())).isEqualTo(Base64.getDecoder().decode("//////////8="));
        }
        assertThat(read(p, media + " \n\t").kind()).isEqualTo(InboundMessage.Kind.MEDIA);
        String name = "r\u00e9ponse \u20ac \ud83d\ude00";
        String mark = Samples.set(d.samples.get("in mark"), d.markName, name).toString();
        assertThat(read(p, mark).name()).isEqualTo(name);
        assertThat(read(p, media).kind()).isEqualTo(InboundMessage.Kind.MEDIA);
    }

    @Test
    void startWithAnotherCodecIsRefusedWithTheReason() {
        String alaw = Samples.set(Dialect.TWILIO.samples.get("in start"), "start.mediaFormat.encoding", "audio/x-alaw").toString();
        InboundMessage s = read(MediaStreamProtocol.twilio(), alaw);
        assertThat(s.problem()).isEqualTo(Problem.MALFORMED);
        assertThat(s.detail()).contains("audio/x-alaw");
        String pcma = Samples.set(Dialect.TELNYX.samples.get("in start"), "start.media_format.encoding", "PCMA").toString();
        assertThat(read(MediaStreamProtocol.telnyx(), pcma).call().build().encoding()).isEqualTo(WireEncoding.ALAW);
    }

    @Test
    void pcmProtocolReadsControlAndBinaryAudio() {
        MediaStreamProtocol p = MediaStreamProtocol.pcm();
        InboundMessage s = read(p, "{\"type\":\"start\",\"sampleRate\":16000,\"parameters\":{\"user\":\"ada\"}}");
        CallInfo call = s.call().build();
        assertThat(call.encoding()).isEqualTo(WireEncoding.L16);
        assertThat(call.sampleRate()).isEqualTo(16000);
        assertThat(call.customParameters()).containsEntry("user", "ada");
        assertThat(read(p, "{\"type\":\"text\",\"text\":\"hello\"}").name()).isEqualTo("hello");
        assertThat(read(p, "{\"type\":\"mark\",\"name\":\"parley-1\"}").kind()).isEqualTo(InboundMessage.Kind.MARK);
        assertThat(read(p, "{\"type\":\"start\"}").problem()).isEqualTo(Problem.MALFORMED);
        m.reset();
        p.read(ByteBuffer.wrap(new byte[]{1, 0, 2, 0}), m);
        assertThat(m.kind()).isEqualTo(InboundMessage.Kind.MEDIA);
        assertThat(m.payloadLength()).isEqualTo(4);
        StringBuilder out = new StringBuilder();
        p.writeClear(call, out);
        assertThat(out.toString()).isEqualTo("{\"type\":\"clear\"}");
    }

    @Test
    void base64MatchesTheJdkBothWays() {
        Random r = new Random(7);
        for (int len = 0; len < 400; len++) {
            byte[] b = new byte[len];
            r.nextBytes(b);
            StringBuilder enc = new StringBuilder();
            Base64Codec.encode(b, len, enc);
            assertThat(enc.toString()).isEqualTo(Base64.getEncoder().encodeToString(b));
            char[] chars = ("xx" + enc + "yy").toCharArray();
            byte[] dst = new byte[Base64Codec.maxDecodedLength(enc.length())];
            int n = Base64Codec.decode(chars, 2, enc.length(), dst);
            assertThat(Arrays.copyOf(dst, n)).isEqualTo(b);
        }
        assertThat(Base64Codec.decode("ab=c".toCharArray(), 0, 4, new byte[8])).isEqualTo(-1);
        assertThat(Base64Codec.decode("é===".toCharArray(), 0, 4, new byte[8])).isEqualTo(-1);
    }
}
