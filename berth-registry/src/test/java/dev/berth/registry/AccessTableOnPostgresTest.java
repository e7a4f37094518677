package dev.berth.registry;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AccessTableTest} with the registry's accounts, tokens and projects in PostgreSQL. */
class AccessTableOnPostgresTest extends AccessTableTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    MetaDatabase database() {
        return POSTGRES;
    }
}
