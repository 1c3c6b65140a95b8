package io.parley.recording.store;

/** File names inside a recording's folder, one per storage form. */
final class StoredFiles {

    static final String META = "recording.json";
    static final String REDACTIONS = "redactions.jsonl";
    /** Event journal: one line per event, plain JSON or line-sealed. Appendable. */
    static final String EVENTS = "events.jsonl";
    /** Stopped, compressed, unencrypted events. */
    static final String EVENTS_GZ = "events.jsonl.gz";
    /** Stopped, compressed and encrypted events. */
    static final String EVENTS_GZ_SEALED = "events.jsonl.gz.sealed";
    /** Audio journal without encryption: a WAV whose header is patched on close. */
    static final String AUDIO_WAV = "audio.wav";
    /** Audio journal with encryption: raw stereo PCM in sealed chunks. */
    static final String AUDIO_SEALED = "audio.pcm.sealed";
    /** Stopped, compressed, unencrypted audio. */
    static final String AUDIO_WAV_GZ = "audio.wav.gz";
    /** Stopped, compressed and encrypted audio. */
    static final String AUDIO_WAV_GZ_SEALED = "audio.wav.gz.sealed";

    static final String INDEX = "index.json";
    static final String HOLDS = "holds.json";

    private StoredFiles() {
    }
}
