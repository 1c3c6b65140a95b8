/**
 * Group voice sessions: several people, each with their own voice activity detection and
 * recognition so every transcript names its speaker, and one agent that answers the turns a
 * {@link io.parley.group.FloorPolicy} gives it, optionally only those addressed to it by a
 * {@link io.parley.group.WakePhrase}. Entry point: {@link io.parley.group.GroupSession#builder()}.
 */
package io.parley.group;
