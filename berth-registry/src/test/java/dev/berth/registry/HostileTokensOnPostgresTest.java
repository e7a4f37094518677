package dev.berth.registry;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link HostileTokensTest} with the registry's accounts, tokens and projects in PostgreSQL. */
class HostileTokensOnPostgresTest extends HostileTokensTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    MetaDatabase database() {
        return POSTGRES;
    }
}
