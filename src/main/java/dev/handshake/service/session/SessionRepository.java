package dev.handshake.service.session;

import java.util.Optional;

/**
 * Where sessions live between calls, with compare-and-set updates: of two concurrent advances of one session, exactly
 * one {@link #replace} succeeds and the other sees {@link Replace#CONFLICT}; a stored session is never torn.
 * Implementations store the {@link SessionCodec} bytes, so the in-memory store and a Redis store are interchangeable.
 */
public interface SessionRepository {

    /** Stores a new session at version 1. Throws {@link SessionStoreFullException} when no room is left. */
    void create(SessionRecord session);

    /** The session, unless unknown or expired (an expired session is removed on the way). */
    Optional<SessionRecord> find(String id);

    /**
     * The session for a caller that will replace it only at {@code expectedVersion} (its {@code If-Match}). A store
     * shared by replicas may answer from its own last write of the session when that was exactly this version, saving
     * a read: versions only grow, so the value stored at a version never changes, and the {@link #replace} that
     * follows still fails if the session has moved on or is gone. Any other answer must be what {@link #find} gives.
     */
    default Optional<SessionRecord> find(String id, long expectedVersion) {
        return find(id);
    }

    /** Stores {@code next} (at {@code expectedVersion + 1}) only if the stored version is still {@code expectedVersion}. */
    Replace replace(String id, long expectedVersion, SessionRecord next);

    /**
     * Forgets the session and returns it as it was (empty if it was not there or had expired), in one store operation:
     * of two concurrent removals only one gets the session.
     */
    Optional<SessionRecord> remove(String id);

    /** Sessions currently held (expired ones not yet swept may be counted). */
    int size();

    enum Replace { REPLACED, CONFLICT, GONE }
}
