package dev.berth.registry.access;

import dev.berth.registry.meta.Accounts;

import java.util.List;

/** Makes the principal an account acts as, with the groups its directory last reported. */
public final class Principals {
    private final Accounts accounts;

    public Principals(Accounts accounts) {
        this.accounts = accounts;
    }

    public Principal of(Accounts.Account account, List<TokenScope> limits) {
        return new Principal(account.name(), account.admin(), accounts.groups(account.id()), limits,
                account.robotProject(), account.runner());
    }
}
