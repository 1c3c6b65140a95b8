package io.parley.transport.websocket.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TwilioTest {

    private final TwilioSignature sig = TwilioSignature.of("12345");

    @Test
    void signatureIsHmacSha1OfUrlAndSortedParameters() throws Exception {
        Map<String, List<String>> form = Map.of("To", List.of("+18005551212"), "CallSid", List.of("CA1234567890ABCDE"),
                "From", List.of("+14158675309"));
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("12345".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(
                (url + "CallSidCA1234567890ABCDE" + "From+14158675309" + "To+18005551212").getBytes(StandardCharsets.UTF_8)));
        assertThat(sig.sign(url, form)).isEqualTo(expected);
        assertThat(sig.isValid(expected, url, form)).isTrue();
        assertThat(sig.isValid(expected, url, Map.of("To", List.of("+18005551213")))).isFalse();
        assertThat(sig.isValid(expected, url + "&x=1", form)).isFalse();
        assertThat(TwilioSignature.of("54321").isValid(expected, url, form)).isFalse();
        assertThat(sig.isValid(null, url, form)).isFalse();
        assertThat(sig.isValid("", url, form)).isFalse();
    }

    @Test
    void defaultPortsAreTriedBothWays() {
        String signedWithPort = sig.sign("wss://voice.example.com:443/twilio", Map.of());
        assertThat(sig.isValid(signedWithPort, "wss://voice.example.com/twilio", Map.of())).isTrue();
        String signedWithout = sig.sign("https://voice.example.com/voice?x=1", Map.of());
        assertThat(sig.isValid(signedWithout, "https://voice.example.com:443/voice?x=1", Map.of())).isTrue();
        assertThat(sig.isValid(signedWithout, "https://voice.example.com:8443/voice?x=1", Map.of())).isFalse();
        assertThat(TwilioSignature.urlForms("https://h:8443/p")).containsExactly("https://h:8443/p");
    }

    @Test
    void twimlConnectsToTheStreamWithEscapedParameters() {
        String xml = TwiML.connectStream("wss://voice.example.com/twilio")
                .say("Connecting you & me")
                .parameter("caller", "+1555\"<x>")
                .statusCallback("https://voice.example.com/status")
                .build();
        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Say>Connecting you &amp; me</Say>"
                + "<Connect><Stream url=\"wss://voice.example.com/twilio\" statusCallback=\"https://voice.example.com/status\">"
                + "<Parameter name=\"caller\" value=\"+1555&quot;&lt;x&gt;\"/></Stream></Connect></Response>");
        assertThat(TwiML.connectStream("wss://h/s").build()).endsWith("<Connect><Stream url=\"wss://h/s\"/></Connect></Response>");
        assertThatThrownBy(() -> TwiML.connectStream("ws://h/s")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wss://");
        assertThatThrownBy(() -> TwiML.connectStream("wss://h/s?x=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwiML.connectStream("wss://h/s").parameter(null, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioSignature.of("")).isInstanceOf(IllegalArgumentException.class);
    }
}
