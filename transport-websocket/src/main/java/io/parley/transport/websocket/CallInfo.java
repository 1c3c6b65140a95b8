package io.parley.transport.websocket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the provider said about a call when its media stream started.
 *
 * @param protocol         the media-stream protocol ({@code twilio}, {@code telnyx}, {@code plivo}, {@code exotel}, {@code vonage}, {@code pcm})
 * @param streamId         the provider's stream id (Twilio {@code streamSid}, Telnyx {@code stream_id}; empty for Vonage, which has none)
 * @param callId           the provider's call id (Twilio {@code callSid}, Telnyx {@code call_control_id}, Vonage's {@code uuid} header), or ""
 * @param accountId        the provider account, or ""
 * @param from             the caller's number when the provider sends it, or ""
 * @param to               the called number when the provider sends it, or ""
 * @param tracks           the tracks the stream carries, as the provider names them
 * @param customParameters values passed with the stream (Twilio {@code <Parameter>}, Telnyx {@code custom_parameters}, Vonage endpoint headers)
 * @param encoding         how inbound audio is encoded on the wire
 * @param sampleRate       the wire sample rate in Hz
 */
public record CallInfo(String protocol, String streamId, String callId, String accountId, String from, String to,
                       List<String> tracks, Map<String, String> customParameters, WireEncoding encoding, int sampleRate) {

    public CallInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        tracks = List.copyOf(tracks);
        customParameters = Map.copyOf(customParameters);
        Objects.requireNonNull(encoding, "encoding");
    }

    /** A builder protocols fill while reading a start message. */
    public static Builder builder(String protocol) {
        return new Builder(protocol);
    }

    /** Collects the fields of a {@link CallInfo}; unset strings are "". */
    public static final class Builder {
        private final String protocol;
        private String streamId = "";
        private String callId = "";
        private String accountId = "";
        private String from = "";
        private String to = "";
        private final List<String> tracks = new ArrayList<>();
        private final Map<String, String> customParameters = new LinkedHashMap<>();
        private WireEncoding encoding;
        private int sampleRate;

        Builder(String protocol) {
            this.protocol = TelephonyRoutes.notNull(protocol, "protocol");
        }

        /** Sets the stream id. */
        public Builder streamId(String v) {
            streamId = TelephonyRoutes.notNull(v, "v");
            return this;
        }

        /** Sets the call id. */
        public Builder callId(String v) {
            callId = TelephonyRoutes.notNull(v, "v");
            return this;
        }

        /** Sets the account id. */
        public Builder accountId(String v) {
            accountId = TelephonyRoutes.notNull(v, "v");
            return this;
        }

        /** Sets the caller's number. */
        public Builder from(String v) {
            from = TelephonyRoutes.notNull(v, "v");
            return this;
        }

        /** Sets the called number. */
        public Builder to(String v) {
            to = TelephonyRoutes.notNull(v, "v");
            return this;
        }

        /** Adds a track name. */
        public Builder track(String v) {
            tracks.add(TelephonyRoutes.notNull(v, "track"));
            return this;
        }

        /** Adds a custom parameter. */
        public Builder customParameter(String name, String value) {
            customParameters.put(TelephonyRoutes.notNull(name, "name"), TelephonyRoutes.notNull(value, "value"));
            return this;
        }

        /** Sets the wire encoding. */
        public Builder encoding(WireEncoding encoding) {
            this.encoding = TelephonyRoutes.notNull(encoding, "encoding");
            return this;
        }

        /** Sets the wire sample rate in Hz. */
        public Builder sampleRate(int sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        /** The stream id set so far. */
        public String streamId() {
            return streamId;
        }

        /**
         * The call info.
         *
         * @throws IllegalStateException if the encoding or a positive sample rate was not set
         */
        public CallInfo build() {
            if (encoding == null || sampleRate <= 0) {
                throw new IllegalStateException("media format incomplete: encoding " + encoding + ", rate " + sampleRate);
            }
            return new CallInfo(protocol, streamId, callId, accountId, from, to, tracks, customParameters, encoding, sampleRate);
        }
    }
}
