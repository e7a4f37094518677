package dev.berth.registry;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TagHistoryTest} with the tag history and immutable-tag rules in PostgreSQL. */
class TagHistoryOnPostgresTest extends TagHistoryTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    MetaDatabase database() {
        return POSTGRES;
    }
}
