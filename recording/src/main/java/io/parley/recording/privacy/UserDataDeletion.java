package io.parley.recording.privacy;

import java.util.List;

/**
 * The outcome of deleting a user's data.
 *
 * @param userId  the user
 * @param deleted recordings deleted
 * @param held    recordings kept because of a legal hold (deleted once it is released and the request repeated)
 * @param stillWriting recordings another writer (not stopped by the consent withdrawal) still had open;
 *                     kept, and deleted when the request is repeated after they stop
 * @param consentsForgotten whether the consent records were removed too (only when nothing was kept)
 */
public record UserDataDeletion(String userId, List<String> deleted, List<String> held, List<String> stillWriting,
                               boolean consentsForgotten) {
    public UserDataDeletion {
        deleted = List.copyOf(deleted);
        held = List.copyOf(held);
        stillWriting = List.copyOf(stillWriting);
    }
}
