package io.parley.group;

/**
 * Sees each finished turn before the agent does and may take it over, e.g. a chat command
 * such as {@code !export}. Runs on the session's event loop: it must not block.
 */
@FunctionalInterface
public interface TurnHandler {

    /** @return true if the turn is handled and the agent must not answer it */
    boolean handle(GroupTurn turn);
}
