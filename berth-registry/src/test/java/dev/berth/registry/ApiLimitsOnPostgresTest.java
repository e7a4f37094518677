package dev.berth.registry;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ApiLimitsTest} on PostgreSQL, whose VARCHAR columns refuse what SQLite would keep. */
class ApiLimitsOnPostgresTest extends ApiLimitsTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    MetaDatabase database() {
        return POSTGRES;
    }
}
