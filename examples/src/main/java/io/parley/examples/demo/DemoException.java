package io.parley.examples.demo;

/**
 * Why the demo cannot run, with the process exit code to report: 2 for bad arguments or input
 * files, 3 for something missing on the machine, 4 for output that cannot be written, 1 otherwise.
 */
final class DemoException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    DemoException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
