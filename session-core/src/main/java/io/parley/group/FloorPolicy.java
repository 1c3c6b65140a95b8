package io.parley.group;

/**
 * Which participant's turn the agent answers when addressed turns arrive while it is still
 * answering another. Turns not addressed to the agent never take the floor.
 */
public enum FloorPolicy {
    /** Answer every addressed turn, one after another, in the order the turns ended. */
    QUEUE,
    /** A newer addressed turn cuts off the current answer (text and speech) and is answered instead. */
    LATEST,
    /** While the agent is answering, further addressed turns are recorded but not answered. */
    HOLD
}
