package io.parley.recording.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The redaction catalogue: realistic secrets and personal data in the sentences they turn up in
 * during calls, each with the rule that must catch it. Every entry must be removed (0 misses),
 * and ordinary sentences must come through untouched. Key-shaped values are assembled from
 * parts so the file itself does not look like a leaked credential to secret scanners; none is real.
 */
class RedactionCatalogueTest {

    /** One catalogue entry: the sentence, the sensitive part, the rule expected to remove it. */
    record Entry(String sentence, String secret, String rule) {
    }

    static final List<Entry> CATALOGUE = new ArrayList<>();

    private static void add(String before, String secret, String after, String rule) {
        CATALOGUE.add(new Entry(before + secret + after, secret, rule));
    }

    private static String rep(String unit, int n) {
        return unit.repeat(n);
    }

    static {
        String mix = "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
        add("my openai key is ", "sk-" + "proj-" + mix + "_Q7-" + mix + "T3Bl", " can you check it", "api_key");
        add("use ", "sk-" + "svcacct-" + mix + "-x_" + mix, " for the service account", "api_key");
        add("admin key ", "sk-" + "admin-" + mix + mix, " rotate it", "api_key");
        add("the old key ", "sk-" + mix + "T3BlbkFJ" + mix.substring(0, 12), " still works", "api_key");
        add("anthropic: ", "sk-" + "ant-api03-" + mix + "_" + mix + "-" + mix + "AA", ".", "api_key");
        add("org admin ", "sk-" + "ant-admin01-" + mix + "-" + mix, " okay", "api_key");
        add("stripe ", "sk_" + "live_" + "51H" + mix, " in prod", "api_key");
        add("restricted ", "rk_" + "test_" + mix, " for testing", "api_key");
        add("publishable ", "pk_" + "live_" + mix, " is fine", "api_key");
        add("webhook secret ", "whsec_" + mix, " from the dashboard", "api_key");
        add("access key id ", "AKIA" + "IOSFODNN7EXAMPLE", " in us-east-1", "api_key");
        add("temporary ", "ASIA" + "Y34FZKBOKMUTVV7A", " expires soon", "api_key");
        add("secret access key ", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY", " keep it", "aws_secret");
        add("maps key ", "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", " on the site", "api_key");
        add("oauth client secret ", "GOCSPX-" + "1a2B3c4D5e6F7g8H9i0J1k2L3m4N", " from console", "api_key");
        add("access token ", "ya29." + "a0AfH6SMBx" + mix, " expires in an hour", "api_key");
        add("github ", "ghp_" + mix + "1234", " for CI", "api_key");
        add("fine grained ", "github_pat_" + "11ABCDEFG0" + mix + "_" + mix, " here", "api_key");
        add("oauth app token ", "gho_" + mix + "5678", ".", "api_key");
        add("gitlab ", "glpat-" + "xXyY1234zZ5678aBcDeF", " for the runner", "api_key");
        add("slack bot ", "xoxb-" + "1234567890-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx", " posts alerts", "api_key");
        add("post to ", "https://hooks.slack.com/services/" + "T00000000/B00000000/" + "XXXXXXXXXXXXXXXXXXXXXXXX",
                " please", "api_key");
        add("hugging face ", "hf_" + mix + "ab", " for the model", "api_key");
        add("sendgrid ", "SG." + "ngeVfQFYQlKU0ufo8x5d1A" + "." + "TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr", ".",
                "api_key");
        add("npm token ", "npm_" + mix + "abcd", " to publish", "api_key");
        add("twilio ", "SK" + rep("0123456789abcdef", 2), " api key sid", "api_key");
        add("token ", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ"
                + "." + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", " from the header", "jwt");
        add("Authorization: Bearer ", "mF_9.B5f-4.1JqM" + "zZ8yLhU2vQ", "", "api_key");
        add("here is the key ", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA" + mix + "\n-----END RSA PRIVATE KEY-----",
                " done", "private_key");
        add("connect to postgres://", "app:s3cr3tPassw0rd", "@db.internal:5432/prod", "url_credentials");
        add("my password is ", "Tr0ub4dor&3", ", thanks", "secret");
        add("the pin: ", "4821", " for the door", "secret");
        add("api key = ", "abcd1234efgh5678", " from the vendor", "secret");
        add("passcode is ", "739104", " okay", "secret");
        add("write to ", "jane.doe@example.com", " today", "email");
        add("billing goes to ", "ada+billing@mail.example.co.uk", ".", "email");
        add("it's ", "jane dot doe at example dot com", " thanks", "email");
        add("send it to ", "john underscore smith at gmail dot com", " please", "email");
        add("reach me at ", "jane [at] example [dot] org", ".", "email");
        add("call me on ", "(415) 555-0132", " after five", "phone");
        add("the office is ", "+44 20 7946 0958", ".", "phone");
        add("my number is ", "4155550132", " call anytime", "phone");
        add("text ", "+14155550132", " instead", "phone");
        add("Berlin office ", "030 12345678", ".", "phone");
        add("card ", "4111 1111 1111 1111", " expires 12/27", "card");
        add("amex ", "3782 822463 10005", " is on file", "card");
        add("mastercard ", "5555-5555-5555-4444", ".", "card");
        add("IBAN ", "DE89 3704 0044 0532 0130 00", " for the refund", "iban");
        add("pay into ", "GB82WEST12345698765432", ".", "iban");
        add("my social is ", "123-45-6789", ".", "ssn");
        add("server at ", "192.168.10.23", " is down", "ip_address");
    }

    private final Redactor redactor = Redactor.defaults();

    @Test
    void catalogueHasNoMisses() {
        assertThat(CATALOGUE).hasSizeGreaterThanOrEqualTo(40);
        List<String> misses = new ArrayList<>();
        for (Entry e : CATALOGUE) {
            Redactor.Result r = redactor.redact(e.sentence());
            if (r.text().contains(e.secret()) || !r.counts().containsKey(e.rule())) {
                misses.add(e.rule() + ": " + e.sentence() + " -> " + r.text() + " " + r.counts());
            }
            // Not even a fragment of a long secret may survive (a redaction that stops at the first '-' or '_').
            for (String part : e.secret().split("[-_.\\s/]")) {
                if (part.length() >= 12 && r.text().contains(part)) {
                    misses.add(e.rule() + " (fragment '" + part + "'): " + r.text());
                }
            }
        }
        assertThat(misses).as("%d of %d catalogue entries missed", misses.size(), CATALOGUE.size()).isEmpty();
    }

    @Test
    void ordinarySentencesComeThroughUntouched() {
        for (String s : List.of("order 1234567890123 shipped", "on 2025-11-08 at 15:45", "version 3.2.1 is out",
                "we need 120 units by Friday", "show me the token refresh code", "meet at the office at 5",
                "commit 3f2a9c1e4b5d6f7a8b9c0d1e2f3a4b5c6d7e8f90 broke the build", "the skills team asked for it",
                "ticket ABC-1234 is closed", "it costs $1,299.00 per year", "room 4B on floor 12")) {
            assertThat(redactor.redact(s).text()).as(s).isEqualTo(s);
        }
    }
}
