package dev.cairn.cli;

import dev.cairn.repository.Repository;
import dev.cairn.storage.Backend;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", description = {
        "Create a new, empty repository.",
        "The password you choose is the only way to read the backups: nobody can recover it."})
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    Cairn cairn;

    @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from FILE.")
    java.nio.file.Path newPasswordFile;

    @Override
    public Integer call() throws Exception {
        Backend b = cairn.backend();
        char[] pw = newPasswordFile != null ? Cairn.firstLine(newPasswordFile)
                : cairn.env.containsKey("CAIRN_PASSWORD") || cairn.passwordFile != null || cairn.passwordCommand != null
                        ? cairn.password("") : cairn.newPassword(null);
        try (Repository repo = Repository.init(b, pw, cairn.kdf, cairn.label(), cairn.clock)) {
            cairn.info("created repository " + repo.config().idHex().substring(0, 8) + " at " + b.location());
            cairn.info("keep the password safe: without it the backups cannot be read by anyone");
        }
        return Cairn.OK;
    }
}
