package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.registry.storage.RegistryStorage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The registry's metadata in memory: which repositories exist, and each one's tags and manifests,
 * loaded from storage on first use and written through by {@link Registry} (the only writer, since
 * one process holds the storage). Reads on the hot path are lock-free map lookups.
 */
final class RepositoryIndex {
    /** One repository's tags and manifest links. */
    static final class Repository {
        final NavigableMap<String, Digest> tags;
        final Set<Digest> manifests;

        Repository(NavigableMap<String, Digest> tags, Set<Digest> manifests) {
            this.tags = tags;
            this.manifests = manifests;
        }
    }

    private final RegistryStorage storage;
    private final NavigableSet<String> names = new ConcurrentSkipListSet<>();
    private final ConcurrentHashMap<String, Repository> loaded = new ConcurrentHashMap<>();

    RepositoryIndex(RegistryStorage storage) throws IOException {
        this.storage = storage;
        names.addAll(storage.repositories());
    }

    boolean exists(String name) {
        return names.contains(name);
    }

    /** A valid name of a repository that exists; NAME_UNKNOWN otherwise. */
    void requireExisting(String name) {
        Names.requireRepository(name);
        if (!exists(name)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + name + " does not exist");
        }
    }

    void created(String name) {
        names.add(name);
    }

    NavigableSet<String> names() {
        return names;
    }

    /** The repository's metadata if it is in memory already, else null; never touches storage. */
    Repository loadedOrNull(String name) {
        return loaded.get(name);
    }

    /** The repository's metadata, loading it from storage the first time. */
    Repository get(String name) {
        Repository repository = loaded.get(name);
        if (repository != null) {
            return repository;
        }
        return loaded.computeIfAbsent(name, this::load);
    }

    private Repository load(String name) {
        try {
            NavigableMap<String, Digest> tags = new ConcurrentSkipListMap<>(storage.tags(name));
            Set<Digest> manifests = ConcurrentHashMap.newKeySet();
            List<Digest> links = storage.manifestLinks(name);
            manifests.addAll(links);
            return new Repository(tags, manifests);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
