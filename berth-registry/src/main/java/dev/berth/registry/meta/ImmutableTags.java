package dev.berth.registry.meta;

import dev.berth.registry.history.TagPattern;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Each project's immutable-tag patterns: a tag that matches one never moves once it exists. */
public final class ImmutableTags {
    private final MetaStore store;

    public ImmutableTags(MetaStore store) {
        this.store = store;
    }

    /** The project's patterns; none when the project does not exist. */
    public List<TagPattern> of(String project) {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT immutable_tags FROM projects WHERE name = ?")) {
                query.setString(1, project);
                try (ResultSet rows = query.executeQuery()) {
                    List<TagPattern> patterns = new ArrayList<>();
                    if (rows.next()) {
                        for (String word : rows.getString(1).split(" ")) {
                            if (!word.isEmpty()) {
                                patterns.add(TagPattern.parse(word));
                            }
                        }
                    }
                    return patterns;
                }
            }
        });
    }

    /** Replaces the project's patterns; false when the project does not exist. */
    public boolean set(String project, List<TagPattern> patterns) {
        String text = String.join(" ", patterns.stream().map(TagPattern::toString).distinct().toList());
        return store.write(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE projects SET immutable_tags = ? WHERE name = ?")) {
                update.setString(1, text);
                update.setString(2, project);
                return update.executeUpdate() == 1;
            }
        });
    }
}
