package io.parley.providers.local.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No Vosk model is available offline, so only the errors a user meets first are tested. */
class VoskSttTest {

    @Test
    void missingModelDirectoryIsAClearConfigurationError(@TempDir Path dir) {
        Path missing = dir.resolve("vosk-model-small-en-us");
        assertThatThrownBy(() -> VoskStt.create(missing))
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void directoryWithoutAModelIsAClearConfigurationError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("README"), "not a model");
        assertThatThrownBy(() -> VoskStt.create(dir))
                .isInstanceOfSatisfying(SessionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessageContaining("could not load a model from " + dir)
                .hasMessageContaining("unpacked Vosk model");
    }

    @Test
    void readsTheTextOfVoskResults() {
        assertThat(VoskEngine.text("{\n  \"text\" : \"hello world\"\n}")).isEqualTo("hello world");
        assertThat(VoskEngine.text("{\n  \"partial\" : \"hel\"\n}")).isEqualTo("hel");
        assertThat(VoskEngine.text("{\"text\":\"say \\\"hi\\\"\"}")).isEqualTo("say \"hi\"");
        assertThat(VoskEngine.text("{}")).isEmpty();
    }
}
