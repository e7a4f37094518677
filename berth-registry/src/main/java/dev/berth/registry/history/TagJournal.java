package dev.berth.registry.history;

import dev.berth.oci.Digest;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.TagChanges;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.AccessPolicy;
import dev.berth.registry.meta.ImmutableTags;
import dev.berth.registry.meta.TagHistory;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Tag changes as a registry with a metadata store sees them: the project's immutable tags hold, every move is recorded. */
public final class TagJournal implements TagChanges {
    private final ImmutableTags immutableTags;
    private final TagHistory history;

    public TagJournal(ImmutableTags immutableTags, TagHistory history) {
        this.immutableTags = immutableTags;
        this.history = history;
    }

    /** The tag changes of a registry with {@code access} (null: an open registry, which records none). */
    public static TagChanges of(Access access) {
        return access == null ? TagChanges.UNRECORDED : new TagJournal(access.immutableTags(), access.tagHistory());
    }

    @Override
    public void requireAllowed(String repository, String tag, Digest from, Digest to) {
        if (from == null || from.equals(to)) {
            return;
        }
        String project = AccessPolicy.projectOf(repository);
        Optional<TagPattern> rule = immutableTags.of(project).stream().filter(pattern -> pattern.matches(tag)).findFirst();
        if (rule.isPresent()) {
            throw new RegistryException(ErrorCode.DENIED, "tag " + tag + " of " + repository + " is immutable (project "
                    + project + ", rule \"" + rule.get() + "\"): it stays at " + from + "; push under a new tag");
        }
    }

    @Override
    public void moving(String repository, String tag, Digest from, Digest to, Actor actor) {
        history.record(new TagHistory.Move(repository, tag, Instant.now(), from, to, actor.name(), actor.address(),
                clip(actor.client())));
    }

    @Override
    public Set<Digest> taggedSince(String repository, Instant since) {
        Set<Digest> tagged = new HashSet<>();
        for (TagHistory.Move move : history.since(repository, since)) {
            if (move.from() != null) {
                tagged.add(move.from());
            }
            if (move.to() != null) {
                tagged.add(move.to());
            }
        }
        return tagged;
    }

    private static String clip(String client) {
        return client == null || client.length() <= 255 ? client : client.substring(0, 255);
    }
}
