package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Table;

import java.io.IOException;

/** {@code berth user list}: the registry's accounts (site admins). */
public final class UserListCommand implements Subcommand {
    private final AccessFlags flags = new AccessFlags();
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("List the registry's user accounts (site admins only).")
                .flag("--json", "Print the registry's JSON instead of a table.", () -> json = true);
        flags.declareWithRegistry(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        JsonNode users;
        try (AccessClient access = flags.connect()) {
            users = access.get("users");
        }
        if (json) {
            Cells.printJson(invocation.out(), users);
            return 0;
        }
        Table table = new Table("NAME", "ADMIN", "DISABLED");
        users.forEach(user -> table.add(Cells.of(user, "name"), Cells.of(user, "admin"), Cells.of(user, "disabled")));
        table.print(invocation.out());
        return 0;
    }
}
