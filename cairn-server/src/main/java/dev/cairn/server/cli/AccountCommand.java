package dev.cairn.server.cli;

import dev.cairn.server.Admin;
import dev.cairn.server.store.Sizes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn server account add|list|remove|passwd|quota|email|webhook}. */
@Command(name = "account", description = "Manage accounts: each holds repositories, device tokens, a quota and a policy.",
        subcommands = {AccountCommand.Add.class, AccountCommand.ListAccounts.class, AccountCommand.Remove.class,
                AccountCommand.Passwd.class, AccountCommand.Quota.class, AccountCommand.Email.class,
                AccountCommand.WebhookUrl.class, CommandLine.HelpCommand.class})
final class AccountCommand {

    @Command(name = "add", description = {"Create an account. Its password signs in to the account API and gives",
            "full access to its repositories; devices should get tokens instead ('token create')."})
    static final class Add extends AdminCommand {
        @Parameters(paramLabel = "NAME", description = "1 to 32 of a-z, 0-9, '_', '-', starting with a letter or digit.")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE's first line"
                + " instead of asking twice.")
        Path passwordFile;

        @Option(names = "--quota", paramLabel = "SIZE", description = "A quota, e.g. 500G or 2T (default: none).")
        String quota;

        @Option(names = "--email", paramLabel = "ADDRESS", description = "Where the account's alerts and daily"
                + " report go (default: none).")
        String email;

        @Override
        int execute() throws Exception {
            String password = newPassword(passwordFile, "password for account " + name);
            try (Admin admin = openAdmin()) {
                admin.addAccount(name, password);
                if (quota != null) {
                    admin.setQuota(name, Sizes.parse(quota));
                }
                if (email != null) {
                    admin.setEmail(name, email);
                }
            }
            ctx().out().println("account " + name + " created");
            return 0;
        }
    }

    @Command(name = "list", description = "List the accounts with their quota, usage and active tokens.")
    static final class ListAccounts extends AdminCommand {
        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        int execute() {
            List<Admin.AccountInfo> accounts;
            try (Admin admin = openAdmin()) {
                accounts = admin.accounts();
            }
            if (json) {
                json(accounts.stream().map(AccountCommand::toJson).toList());
                return 0;
            }
            if (accounts.isEmpty()) {
                ctx().out().println("no accounts yet; create one with 'cairn server account add NAME'");
                return 0;
            }
            ctx().out().printf("%-32s %10s %10s %10s %6s  %s%n", "ACCOUNT", "USED", "QUOTA", "TRASH", "TOKENS", "POLICY");
            for (Admin.AccountInfo a : accounts) {
                ctx().out().printf("%-32s %10s %10s %10s %6d  %s%n", a.name(), Sizes.format(a.usage().total()),
                        a.quotaBytes() == 0 ? "none" : Sizes.format(a.quotaBytes()), Sizes.format(a.usage().trashBytes()),
                        a.activeTokens(), a.policy() == null ? "-" : a.policy().describe());
            }
            return 0;
        }
    }

    static Map<String, Object> toJson(Admin.AccountInfo a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("quota", a.quotaBytes());
        m.put("used", a.usage().total());
        m.put("live", a.usage().liveBytes());
        m.put("trash", a.usage().trashBytes());
        m.put("uploads", a.usage().uploadBytes());
        m.put("tokens", a.activeTokens());
        m.put("policy", a.policy() == null ? null : a.policy().describe());
        m.put("created", a.created().toString());
        m.put("repositories", a.usage().repositories().stream().map(r -> Map.of("name", r.name(), "files", r.files(),
                "bytes", r.bytes())).toList());
        return m;
    }

    @Command(name = "remove", description = {"Remove an account and its tokens. Refused while it still stores data,",
            "unless --delete-data, which deletes its repositories and trash from disk too."})
    static final class Remove extends AdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--delete-data", description = "Also delete the account's repositories and trash. Cannot be undone.")
        boolean deleteData;

        @Override
        int execute() {
            try (Admin admin = openAdmin()) {
                admin.removeAccount(name, deleteData);
            }
            ctx().out().println("account " + name + " removed");
            return 0;
        }
    }

    @Command(name = "passwd", description = "Set a new password for an account. Sessions using the old one stop at once.")
    static final class Passwd extends AdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the new password from FILE's first line.")
        Path passwordFile;

        @Override
        int execute() throws Exception {
            String password = newPassword(passwordFile, "password for account " + name);
            try (Admin admin = openAdmin()) {
                admin.setPassword(name, password);
            }
            ctx().out().println("password of " + name + " changed");
            return 0;
        }
    }

    @Command(name = "quota", description = {"Set an account's quota: live files plus trash plus unfinished uploads.",
            "A put that would exceed it is refused; 0 or 'none' removes the quota."})
    static final class Quota extends AdminCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SIZE", description = "e.g. 500G, 2T, 0 or none")
        String size;

        @Override
        int execute() {
            long bytes = size.equalsIgnoreCase("none") ? 0 : Sizes.parse(size);
            try (Admin admin = openAdmin()) {
                admin.setQuota(name, bytes);
            }
            ctx().out().println(bytes == 0 ? "account " + name + " has no quota now"
                    : "quota of " + name + " is " + Sizes.format(bytes));
            return 0;
        }
    }

    @Command(name = "email", description = {"Set the address that receives the account's alerts and daily report",
            "('none' removes it). The administrator's admin-email receives every alert anyway."})
    static final class Email extends AdminCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ADDRESS", description = "e.g. alice@example.org, or none")
        String address;

        @Override
        int execute() {
            boolean none = address.equalsIgnoreCase("none");
            try (Admin admin = openAdmin()) {
                admin.setEmail(name, none ? null : address);
            }
            ctx().out().println(none ? "account " + name + " has no email address now"
                    : "alerts and daily reports of " + name + " go to " + address);
            return 0;
        }
    }

    @Command(name = "webhook", description = {"Set a URL that receives the account's alerts, recoveries and daily",
            "report as JSON POSTs ('none' removes it)."})
    static final class WebhookUrl extends AdminCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "URL", description = "an http:// or https:// URL, or none")
        String url;

        @Override
        int execute() {
            boolean none = url.equalsIgnoreCase("none");
            try (Admin admin = openAdmin()) {
                admin.setWebhook(name, none ? null : url);
            }
            ctx().out().println(none ? "account " + name + " has no webhook now"
                    : "alerts and daily reports of " + name + " are posted to " + url);
            return 0;
        }
    }
}
