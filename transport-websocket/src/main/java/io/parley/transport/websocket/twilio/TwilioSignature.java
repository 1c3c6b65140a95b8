package io.parley.transport.websocket.twilio;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the {@code X-Twilio-Signature} header Twilio puts on its webhooks and on the media
 * stream's WebSocket upgrade: base64 of HMAC-SHA1, keyed with the account's auth token, over
 * the full URL followed by each POST parameter's name and value, sorted by name
 * (twilio.com/docs/usage/webhooks/webhooks-security). As Twilio's own validator does, the URL
 * is also tried with its default port added or removed, since proxies differ on that.
 */
public final class TwilioSignature {

    /** The header Twilio signs requests with. */
    public static final String HEADER = "X-Twilio-Signature";

    private final SecretKeySpec key;

    private TwilioSignature(String authToken) {
        if (Objects.requireNonNull(authToken, "authToken").isEmpty()) {
            throw new IllegalArgumentException("authToken must not be empty");
        }
        this.key = new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    }

    /** A validator for the account whose auth token is {@code authToken}. */
    public static TwilioSignature of(String authToken) {
        return new TwilioSignature(authToken);
    }

    /** The signature Twilio would send for {@code url} and form parameters {@code params} (empty for GET). */
    public String sign(String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(Objects.requireNonNull(url, "url"));
        for (Map.Entry<String, List<String>> e : new TreeMap<>(params).entrySet()) {
            List<String> values = new ArrayList<>(e.getValue());
            values.sort(null);
            for (String v : values) {
                data.append(e.getKey()).append(v);
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }

    /**
     * Whether {@code signature} is Twilio's for this request. Comparison takes constant time.
     *
     * @param signature the {@code X-Twilio-Signature} header, or null when absent (never valid)
     * @param url       the URL Twilio requested, as Twilio saw it (the public one, not the proxy's)
     * @param params    the POST form parameters; empty for GET and WebSocket upgrades
     */
    public boolean isValid(String signature, String url, Map<String, List<String>> params) {
        if (signature == null || signature.isEmpty()) {
            return false;
        }
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String candidate : urlForms(url)) {
            ok |= MessageDigest.isEqual(given, sign(candidate, params).getBytes(StandardCharsets.UTF_8));
        }
        return ok;
    }

    /** The URL as given, and with its scheme's default port added or removed. */
    static List<String> urlForms(String url) {
        List<String> forms = new ArrayList<>(List.of(url));
        try {
            URI u = new URI(url);
            int defaultPort = switch (String.valueOf(u.getScheme()).toLowerCase(java.util.Locale.ROOT)) {
                case "https", "wss" -> 443;
                case "http", "ws" -> 80;
                default -> -1;
            };
            if (defaultPort < 0 || u.getHost() == null) {
                return forms;
            }
            int port = u.getPort() == -1 ? defaultPort : (u.getPort() == defaultPort ? -1 : u.getPort());
            if (port != u.getPort()) {
                forms.add(new URI(u.getScheme(), u.getUserInfo(), u.getHost(), port, u.getRawPath(), null, null).toString()
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            }
        } catch (URISyntaxException e) {
            return forms;
        }
        return forms;
    }
}
