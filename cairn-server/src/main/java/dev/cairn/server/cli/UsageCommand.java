package dev.cairn.server.cli;

import dev.cairn.server.Admin;
import dev.cairn.server.catalog.Catalog.RepoUsage;
import dev.cairn.server.store.Sizes;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn server usage}. */
@Command(name = "usage", description = {"Show what accounts occupy.", "",
        "Live files, trash and unfinished uploads, per repository, against the quota."})
final class UsageCommand extends AdminCommand {
    @Option(names = "--account", paramLabel = "NAME", description = "Only this account (default: all).")
    String account;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    int execute() {
        List<Admin.AccountInfo> accounts;
        try (Admin admin = openAdmin()) {
            accounts = account == null ? admin.accounts() : List.of(admin.accountInfo(account));
        }
        if (json) {
            json(accounts.stream().map(AccountCommand::toJson).toList());
            return 0;
        }
        for (Admin.AccountInfo a : accounts) {
            ctx().out().printf("%s: %s used of %s (live %s, trash %s, uploads %s)%n", a.name(),
                    Sizes.format(a.usage().total()), a.quotaBytes() == 0 ? "no quota" : Sizes.format(a.quotaBytes()),
                    Sizes.format(a.usage().liveBytes()), Sizes.format(a.usage().trashBytes()),
                    Sizes.format(a.usage().uploadBytes()));
            for (RepoUsage r : a.usage().repositories()) {
                ctx().out().printf("  %-40s %8d files %12s%n", r.name(), r.files(), Sizes.format(r.bytes()));
            }
        }
        return 0;
    }
}
