package dev.berth.registry;

import dev.berth.registry.access.AccessConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a test registry keeps its access metadata, one database per registry root: SQLite's
 * {@code meta.db} in the root (the default), or a database of a test {@link Postgres}. Tests that
 * must hold on both take one of these and are run once with each.
 */
interface MetaDatabase {
    MetaDatabase SQLITE = new MetaDatabase() {
        @Override
        public AccessConfig configure(Path root, AccessConfig auth) {
            return auth;
        }

        @Override
        public String storedText(Path root) throws IOException {
            return text(root, name -> name.startsWith("meta.db"));
        }
    };

    /** The {@code [auth]} settings of the registry on {@code root}, given {@code auth} without a database. */
    AccessConfig configure(Path root, AccessConfig auth);

    /** Every byte the database of {@code root} keeps on disk, as ISO-8859-1 text: where a secret kept in clear shows. */
    String storedText(Path root) throws IOException;

    /** The bytes of the regular files under {@code directory} whose names {@code accept} takes, as ISO-8859-1 text. */
    static String text(Path directory, java.util.function.Predicate<String> accept) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).filter(file -> accept.test(file.getFileName().toString())).toList();
        }
        StringBuilder text = new StringBuilder();
        for (Path file : files) {
            text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }
}
