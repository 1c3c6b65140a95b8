package io.parley.session;

import io.parley.spi.ConversationTurn;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A session's conversation history: turns appended as the conversation goes, read from any
 * thread as immutable snapshots that cost one small object, whatever the history's length.
 *
 * <p>Every turn appends one or two entries and every reply hands the agent the history as it
 * stands. A copy-on-write list copied its whole array on each append, and each reply copied it
 * once more: per turn a few references per entry of the conversation so far, so a long call's
 * turns allocated more and more (an hour at ten turns a minute: about 15 KB per turn), all of it
 * garbage the next turn. Here an append writes one slot past every snapshot's end, so the
 * snapshots share the array; only growing it (doubling) or taking an entry back (rare: a reply
 * cut before anyone heard it) copies.
 */
final class History {

    private ConversationTurn[] items = new ConversationTurn[16];
    private int size;
    /** The latest snapshot; published after each change, so a reader sees every entry it covers. */
    private volatile Snapshot current = new Snapshot(items, 0);

    /** Appends {@code turn}. */
    synchronized void add(ConversationTurn turn) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = turn;
        current = new Snapshot(items, size);
    }

    /**
     * Removes the latest entry that is {@code turn} (the same object); the array snapshots share
     * is not changed, the rest is copied.
     *
     * @return whether it was there
     */
    synchronized boolean remove(ConversationTurn turn) {
        for (int i = size - 1; i >= 0; i--) {
            if (items[i] == turn) {
                ConversationTurn[] rest = new ConversationTurn[Math.max(16, items.length)];
                System.arraycopy(items, 0, rest, 0, i);
                System.arraycopy(items, i + 1, rest, i, size - i - 1);
                items = rest;
                size--;
                current = new Snapshot(items, size);
                return true;
            }
        }
        return false;
    }

    /** The history as it stands: immutable, unaffected by later changes. */
    List<ConversationTurn> snapshot() {
        return current;
    }

    /** The first {@code size} entries of an array whose slots below {@code size} never change. */
    private static final class Snapshot extends AbstractList<ConversationTurn> implements RandomAccess {
        private final ConversationTurn[] items;
        private final int size;

        Snapshot(ConversationTurn[] items, int size) {
            this.items = items;
            this.size = size;
        }

        @Override
        public ConversationTurn get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("index " + index + ", size " + size);
            }
            return items[index];
        }

        @Override
        public int size() {
            return size;
        }
    }
}
