package dev.cairn.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The account owner's view of a Cairn server: usage and the trash. Signs in with the account
 * password ($CAIRN_ACCOUNT_PASSWORD or a prompt), not the device token, so that a device taken
 * over cannot undo what the trash protects.
 */
@Command(name = "account", description = {
        "Usage and trash of your account on a Cairn server (the repository given by --repo).",
        "Signs in with the account password: $CAIRN_ACCOUNT_PASSWORD, else a prompt."},
        subcommands = {AccountCommand.Usage.class, AccountCommand.Trash.class, AccountCommand.Restore.class})
final class AccountCommand {
    @ParentCommand
    Cairn cairn;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    dev.cairn.storage.http.AccountClient client() throws java.io.IOException {
        String where = cairn.location();
        if (!ServerAccess.isServerUrl(where)) {
            throw new Cairn.UserError("'cairn account' needs a repository on a Cairn server"
                    + " (--repo cairn+https://HOST:PORT/ACCOUNT/REPO), not " + where);
        }
        return new ServerAccess(cairn).account(where);
    }

    @Command(name = "usage", description = "Show the quota, what the account uses, and each repository's size.")
    static final class Usage implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Option(names = "--json", description = "Print the server's JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            String body = parent.client().usage();
            Cairn c = parent.cairn;
            if (json) {
                c.out.println(body.strip());
                return Cairn.OK;
            }
            JsonNode n = JSON.readTree(body);
            long quota = n.path("quota").asLong();
            c.out.println("account " + n.path("name").asString() + ": " + Units.bytes(n.path("used").asLong()) + " used"
                    + (quota > 0 ? " of " + Units.bytes(quota) : " (no quota)")
                    + "; " + Units.bytes(n.path("trash").asLong()) + " of it in the trash");
            for (JsonNode r : n.path("repositories")) {
                c.out.printf("  %-24s %10s  %d files%n", r.path("name").asString(),
                        Units.bytes(r.path("bytes").asLong()), r.path("files").asLong());
            }
            return Cairn.OK;
        }
    }

    @Command(name = "trash", description = {"List the trash: what append-only devices deleted, forgotten snapshots,",
            "and what the server's retention and collection removed. Kept until the server purges it."})
    static final class Trash implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Option(names = "--json", description = "Print the server's JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            String body = parent.client().trash();
            Cairn c = parent.cairn;
            if (json) {
                c.out.println(body.strip());
                return Cairn.OK;
            }
            JsonNode entries = JSON.readTree(body);
            c.out.printf("%-6s %-20s %-16s %-10s %-10s %10s  %s%n", "ID", "Trashed", "Repository", "Kind", "Name",
                    "Size", "Reason");
            for (JsonNode e : entries) {
                String name = e.path("name").asString();
                c.out.printf("%-6d %-20s %-16s %-10s %-10s %10s  %s%n", e.path("id").asLong(),
                        SnapshotsCommand.time(Instant.parse(e.path("trashed-at").asString()).toEpochMilli()),
                        e.path("repository").asString(), e.path("kind").asString(),
                        name.substring(0, Math.min(8, name.length())),
                        Units.bytes(e.path("size").asLong()), e.path("reason").asString());
            }
            c.out.println(entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies")
                    + "; 'cairn account restore ID' puts one back");
            return Cairn.OK;
        }
    }

    @Command(name = "restore", description = "Put a trash entry back; a snapshot brings back the trashed packs it needs.")
    static final class Restore implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Parameters(paramLabel = "ID", description = "The entry's ID, as 'cairn account trash' lists it.")
        long id;

        @Override
        public Integer call() throws Exception {
            parent.client().restore(id);
            parent.cairn.info("restored trash entry " + id);
            return Cairn.OK;
        }
    }
}
