package dev.cairn.server.cli;

import dev.cairn.server.Admin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn server token create|list|revoke}. */
@Command(name = "token", description = "Manage device tokens: what a backup client signs in with.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class,
                CommandLine.HelpCommand.class})
final class TokenCommand {

    @Command(name = "create", description = {"Create a device token and print it (only once: the server keeps just a hash).",
            "Append-only by default: it can add backups, but its deletes go to the trash, from where",
            "the account owner can restore them. Give it to the client with --server-token-file or",
            "CAIRN_SERVER_TOKEN."})
    static final class Create extends AdminCommand {
        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Option(names = "--device", required = true, paramLabel = "NAME", description = "What the token is for, e.g. laptop.")
        String device;

        static final class Access {
            @Option(names = "--append-only", description = "Deletes go to the trash (the default).")
            boolean appendOnly;

            @Option(names = "--full-access", description = "Deletes are real (for a machine that runs prune).")
            boolean fullAccess;
        }

        @ArgGroup(exclusive = true)
        Access access;

        @Override
        int execute() {
            boolean full = access != null && access.fullAccess;
            String token;
            try (Admin admin = openAdmin()) {
                token = admin.createToken(account, device, full);
            }
            ctx().out().println(token);
            ctx().err().println("This token is shown once and cannot be recovered; store it on the device now ("
                    + (full ? "full access" : "append-only") + ").");
            return 0;
        }
    }

    @Command(name = "list", description = "List an account's tokens (ids, devices, access, last use; never secrets).")
    static final class ListTokens extends AdminCommand {
        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        int execute() {
            List<Admin.TokenInfo> tokens;
            try (Admin admin = openAdmin()) {
                tokens = admin.tokens(account);
            }
            if (json) {
                json(tokens.stream().map(t -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", t.id());
                    m.put("device", t.device());
                    m.put("append-only", t.appendOnly());
                    m.put("created", t.created().toString());
                    m.put("last-used", t.lastUsed() == null ? null : t.lastUsed().toString());
                    m.put("revoked", t.revoked() == null ? null : t.revoked().toString());
                    return m;
                }).toList());
                return 0;
            }
            ctx().out().printf("%-16s  %-20s %-11s %-16s %-16s %s%n", "ID", "DEVICE", "ACCESS", "CREATED", "LAST USED",
                    "REVOKED");
            for (Admin.TokenInfo t : tokens) {
                ctx().out().printf("%-16s  %-20s %-11s %-16s %-16s %s%n", t.id(), t.device(),
                        t.appendOnly() ? "append-only" : "full", time(t.created()), time(t.lastUsed()), time(t.revoked()));
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token by its id (from 'token list'); it stops working at once.")
    static final class Revoke extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        int execute() {
            try (Admin admin = openAdmin()) {
                admin.revokeToken(id);
            }
            ctx().out().println("token revoked");
            return 0;
        }
    }
}
