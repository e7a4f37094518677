package dev.berth.registry;

import dev.berth.oci.Digest;

import java.time.Instant;
import java.util.Set;

/**
 * What the registry asks before a tag moves and tells after it moved: the metadata store keeps
 * each project's immutable-tag rules and every tag's history. A move has a {@code from} (null:
 * the tag is new) and a {@code to} (null: the tag is removed). Called under the repository's lock,
 * so a tag's history is in the order its moves happened.
 */
public interface TagChanges {
    /**
     * Who moves a tag: an account name (or {@code anonymous}), whether it is a {@code user}, a
     * {@code robot} or {@code anonymous}, the client's address and User-Agent.
     */
    record Actor(String name, String kind, String address, String client) {
    }

    /** Throws a {@link RegistryException} naming the rule when the move is not allowed. */
    void requireAllowed(String repository, String tag, Digest from, Digest to);

    /** Records a move that is about to be stored; a failure here stops the move. */
    void moving(String repository, String tag, Digest from, Digest to, Actor actor);

    /** The manifests that a tag of {@code repository} pointed at, or was moved to, at or after {@code since}. */
    Set<Digest> taggedSince(String repository, Instant since);

    /** A registry without a metadata store: every move is allowed and none is recorded. */
    TagChanges UNRECORDED = new TagChanges() {
        @Override
        public void requireAllowed(String repository, String tag, Digest from, Digest to) {
        }

        @Override
        public void moving(String repository, String tag, Digest from, Digest to, Actor actor) {
        }

        @Override
        public Set<Digest> taggedSince(String repository, Instant since) {
            return Set.of();
        }
    };
}
