package io.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** {@link LogWatch#standardStreams()}: tees the standard streams and scans them line by line. */
final class StandardStreamsLogWatch implements LogWatch {

    private static final Pattern EXCEPTION_LINE = Pattern.compile(
            "^(Exception in thread .*|([a-zA-Z_$][\\w$]*\\.)+[\\w$]*(Exception|Error|Throwable)(: .*)?)$");
    private static final Pattern ERROR_LEVEL = Pattern.compile("(^|[\\s\\[])(ERROR|SEVERE|FATAL)([\\s\\]:]|$)");
    private static final Pattern TRACE_LINE = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ (more|common))|^Caused by: |^\\s+Suppressed: ");
    private static final int KEEP_LINES = 4;

    private final List<String> findings = new ArrayList<>();
    private PrintStream out;
    private PrintStream err;
    private StringBuilder current;
    private int currentLines;

    @Override
    public synchronized void start() {
        if (out != null) {
            throw new IllegalStateException("already started");
        }
        findings.clear();
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized List<String> stop() {
        if (out == null) {
            return List.of();
        }
        System.out.flush();
        System.err.flush();
        System.setOut(out);
        System.setErr(err);
        out = null;
        err = null;
        closeFinding();
        return List.copyOf(findings);
    }

    private synchronized void line(String line) {
        if (EXCEPTION_LINE.matcher(line).matches() || ERROR_LEVEL.matcher(line).find()) {
            closeFinding();
            current = new StringBuilder(line);
            currentLines = 1;
        } else if (current != null && TRACE_LINE.matcher(line).find()) {
            if (currentLines++ < KEEP_LINES) {
                current.append(" | ").append(line.trim());
            }
        } else {
            closeFinding();
        }
    }

    private void closeFinding() {
        if (current != null) {
            findings.add(current.toString());
            current = null;
        }
    }

    /** Copies bytes through and hands complete lines to the scanner. */
    private final class Tee extends OutputStream {
        private final OutputStream target;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Tee(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            try {
                target.write(b, off, len);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    String s = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    line(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
                } else {
                    pending.write(b[i]);
                }
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            target.flush();
        }
    }
}
