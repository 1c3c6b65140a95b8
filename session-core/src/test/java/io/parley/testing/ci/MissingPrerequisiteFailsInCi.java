package io.parley.testing.ci;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Turns an aborted test (a failed {@code assumeThat}/{@code assumeTrue}: Chromium, a model, a
 * Debian package or a network interface is missing) into a failure when the environment variable
 * {@code CI} is {@code true}. CI installs every prerequisite through {@code bin/setup-deps}, so a
 * skip there can only hide a broken setup; on a developer's machine the skip stays, with its
 * reason.
 *
 * <p>Registered for every module through JUnit's extension auto-detection (the root pom turns it
 * on for Surefire; the class ships in {@code parley-session-core}'s test jar).
 */
public final class MissingPrerequisiteFailsInCi
        implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw convert(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw convert(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw convert(context, throwable);
    }

    private static Throwable convert(ExtensionContext context, Throwable throwable) {
        if (throwable instanceof TestAbortedException && inCi()) {
            String test = context == null ? "this test" : context.getDisplayName();
            return new AssertionError("CI=true and a prerequisite of " + test
                    + " is missing (bin/setup-deps should have installed it): " + throwable.getMessage(),
                    throwable);
        }
        return throwable;
    }
}
