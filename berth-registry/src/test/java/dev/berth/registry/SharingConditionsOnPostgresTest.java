package dev.berth.registry;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SharingConditionsTest} with the registry's accounts, tokens and projects in PostgreSQL. */
class SharingConditionsOnPostgresTest extends SharingConditionsTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    MetaDatabase database() {
        return POSTGRES;
    }
}
