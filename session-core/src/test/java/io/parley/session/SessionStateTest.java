package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionStateTest {

    private static final Map<SessionState, Set<SessionState>> ALLOWED = Map.of(
            SessionState.INITIAL, EnumSet.of(SessionState.LISTENING, SessionState.ENDED),
            SessionState.LISTENING, EnumSet.of(SessionState.PROCESSING, SessionState.SPEAKING, SessionState.AWAY, SessionState.ENDED),
            SessionState.PROCESSING, EnumSet.of(SessionState.SPEAKING, SessionState.LISTENING, SessionState.ENDED),
            SessionState.SPEAKING, EnumSet.of(SessionState.LISTENING, SessionState.PROCESSING, SessionState.ENDED),
            SessionState.AWAY, EnumSet.of(SessionState.LISTENING, SessionState.ENDED),
            SessionState.ENDED, EnumSet.of(SessionState.INITIAL, SessionState.LISTENING));

    static Stream<Arguments> everyPair() {
        return Stream.of(SessionState.values()).flatMap(from -> Stream.of(SessionState.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void onlyTheTableTransitionsAreAllowed(SessionState from, SessionState to) {
        boolean allowed = ALLOWED.get(from).contains(to);
        assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
        if (allowed) {
            from.checkTransitionTo(to);
        } else {
            assertThatThrownBy(() -> from.checkTransitionTo(to))
                    .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE))
                    .hasMessageContaining(from + " -> " + to);
        }
    }
}
