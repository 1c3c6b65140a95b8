package io.parley.providers.local.stt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;

/**
 * JNA view of Debian's {@code libsphinxbase.so.3} and {@code libpocketsphinx.so.3}
 * (pocketsphinx 5prealpha API). Only the calls Parley needs are declared.
 */
final class SphinxLibrary {

    /** Debian packages that provide the native libraries and the US English model. */
    static final String PACKAGES = "libpocketsphinx3 pocketsphinx-en-us";

    /** sphinxbase: command-line style decoder configuration. */
    interface SphinxBase extends Library {
        /** Builds a configuration from name/value strings; the argument list ends with null. */
        Pointer cmd_ln_init(Pointer inout, Pointer defn, int strict, Object... args);

        int cmd_ln_free_r(Pointer cmdln);

        double cmd_ln_float_r(Pointer cmdln, String name);

        void cmd_ln_set_float_r(Pointer cmdln, String name, double value);

        /** Sets the process-wide log handle; null switches logging off. */
        void err_set_logfp(Pointer stream);
    }

    /** pocketsphinx: the decoder. */
    interface PocketSphinx extends Library {
        Pointer ps_args();

        Pointer ps_init(Pointer config);

        int ps_free(Pointer ps);

        int ps_set_jsgf_string(Pointer ps, String name, String jsgf);

        int ps_set_search(Pointer ps, String name);

        String ps_get_search(Pointer ps);

        Pointer ps_get_config(Pointer ps);

        int ps_start_utt(Pointer ps);

        int ps_process_raw(Pointer ps, short[] data, NativeLong nSamples, int noSearch, int fullUtt);

        int ps_end_utt(Pointer ps);

        String ps_get_hyp(Pointer ps, IntByReference score);

        Pointer ps_seg_iter(Pointer ps);

        Pointer ps_seg_next(Pointer seg);

        String ps_seg_word(Pointer seg);

        void ps_seg_frames(Pointer seg, IntByReference startFrame, IntByReference endFrame);

        int ps_get_n_frames(Pointer ps);
    }

    private static volatile SphinxLibrary shared;

    final SphinxBase base;
    final PocketSphinx ps;

    private SphinxLibrary(SphinxBase base, PocketSphinx ps) {
        this.base = base;
        this.ps = ps;
    }

    /**
     * The process-wide binding, loaded on first use.
     *
     * @throws SessionException {@link ErrorCode#PROVIDER_UNAVAILABLE} naming the packages to install
     */
    static SphinxLibrary get() {
        SphinxLibrary lib = shared;
        if (lib == null) {
            synchronized (SphinxLibrary.class) {
                lib = shared;
                if (lib == null) {
                    lib = load("sphinxbase", "pocketsphinx");
                    shared = lib;
                }
            }
        }
        return lib;
    }

    /** Loads the two libraries by JNA name; separate from {@link #get()} so tests can name absent ones. */
    static SphinxLibrary load(String sphinxbaseName, String pocketsphinxName) {
        try {
            SphinxBase base = Native.load(sphinxbaseName, SphinxBase.class);
            PocketSphinx ps = Native.load(pocketsphinxName, PocketSphinx.class);
            // The libraries log through one process-wide file handle. Naming a log file in a
            // decoder's configuration makes every new decoder open a new handle and close the
            // old one, which other decoders' threads may be writing to at that moment (with
            // several sessions starting at once, that aborted the JVM). Logging is switched off
            // once, here, and decoders never touch the handle.
            base.err_set_logfp(null);
            return new SphinxLibrary(base, ps);
        } catch (UnsatisfiedLinkError e) {
            throw new SessionException(ErrorCode.PROVIDER_UNAVAILABLE,
                    "the PocketSphinx native library could not be loaded (" + e.getMessage()
                            + "); on Debian or Ubuntu install it with: apt-get install " + PACKAGES,
                    e, false);
        }
    }
}
