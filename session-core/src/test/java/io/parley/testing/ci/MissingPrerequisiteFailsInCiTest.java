package io.parley.testing.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class MissingPrerequisiteFailsInCiTest {

    @Test
    void anAbortedTestFailsExactlyWhenCiIsTrue() {
        Throwable thrown = catchThrowable(() -> new MissingPrerequisiteFailsInCi()
                .handleTestExecutionException(null, new TestAbortedException("Chromium is not installed")));
        if (MissingPrerequisiteFailsInCi.inCi()) {
            assertThat(thrown).isInstanceOf(AssertionError.class).hasMessageContaining("Chromium is not installed");
        } else {
            assertThat(thrown).isInstanceOf(TestAbortedException.class);
        }
    }

    @Test
    void otherFailuresPassThroughUnchanged() {
        IllegalStateException failure = new IllegalStateException("boom");
        Throwable thrown = catchThrowable(() -> new MissingPrerequisiteFailsInCi()
                .handleTestExecutionException(null, failure));
        assertThat(thrown).isSameAs(failure);
    }
}
