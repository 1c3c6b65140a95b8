package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Chat commands, typed with a bang or spoken as "command …" after the wake phrase. */
class CommandsTest {

    @Test
    void typedAndSpokenCommandsAreRecognisedAndOrdinaryTurnsAreNot() {
        assertThat(Commands.parse("!history", "!history", false)).isEqualTo("history");
        assertThat(Commands.parse("  !Export now", "!Export now", false)).isEqualTo("export");
        assertThat(Commands.parse("hey agent, command share.", "command share.", true)).isEqualTo("share");
        assertThat(Commands.parse("Hey agent command END", "command END", true)).isEqualTo("end");
        assertThat(Commands.parse("!history", "!history", true)).isNull();
        assertThat(Commands.parse("what is the command line", "what is the command line", true)).isNull();
        assertThat(Commands.parse("hello", "hello", false)).isNull();
        assertThat(Commands.parse("!", "!", false)).isEmpty();
    }
}
