package io.parley.transport.webrtc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the body of a callback that libwebrtc makes on one of its own threads. webrtc-java turns
 * a Java exception left pending in such a callback into a C++ exception nobody catches, which
 * aborts the whole process; so nothing may escape. What is caught is logged as an error with
 * the callback's name: it is a defect to fix, but never a reason to kill the host application.
 */
final class NativeCallbacks {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCallbacks.class);

    private NativeCallbacks() {
    }

    /** Runs {@code body}; a throwable it raises is logged instead of reaching libwebrtc. */
    static void guard(String callback, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            failed(callback, t);
        }
    }

    /** Logs what a callback raised; for per-frame callbacks that catch it themselves. */
    static void failed(String callback, Throwable t) {
        LOG.error("WebRTC callback {} failed; the exception stops here so libwebrtc does not abort the process", callback, t);
    }
}
