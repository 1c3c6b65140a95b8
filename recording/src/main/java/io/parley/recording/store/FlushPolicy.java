package io.parley.recording.store;

/** How hard each appended event is pushed towards the disk. */
public enum FlushPolicy {
    /**
     * Every event is handed to the operating system as soon as it happens (one write call, no
     * user-space buffer): it survives the process being killed, not a power cut. The default.
     */
    EVERY_EVENT,
    /** Additionally forces every event to the storage device (fsync): survives power loss, much slower. */
    EVERY_EVENT_FSYNC
}
