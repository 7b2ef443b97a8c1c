package dev.cairn.server.cli;

import dev.cairn.server.Admin;
import dev.cairn.server.ServerConfig;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Shared plumbing of the commands: the data directory, the context, passwords, output. */
abstract class AdminCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Spec
    CommandSpec spec;

    @Mixin
    DataOption dataOption;

    Context ctx() {
        return ((ServerCommand) spec.root().userObject()).context;
    }

    Path data() {
        return dataOption.resolve(ctx());
    }

    /** The settings in DATA/server.conf, or the defaults where there is none. */
    ServerConfig.Builder configured() throws IOException {
        Path file = data().resolve("server.conf");
        return Files.exists(file) ? ServerConfig.load(file).toBuilder() : ServerConfig.builder(data());
    }

    Admin openAdmin() {
        return Admin.open(data(), ctx().kdf(), ctx().clock());
    }

    @Override
    public final Integer call() throws Exception {
        return execute();
    }

    abstract int execute() throws Exception;

    /** The first line of {@code file}, or asked twice at the terminal. */
    String newPassword(Path file, String what) throws IOException {
        if (file != null) {
            return firstLine(file);
        }
        Console console = ctx().console();
        if (console == null) {
            throw new ServerCommand.UserError("no terminal to ask for the " + what + "; use --password-file FILE");
        }
        char[] first = console.readPassword("New %s: ", what);
        char[] second = console.readPassword("Repeat the %s: ", what);
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new ServerCommand.UserError("the two entries differ; nothing was changed");
        }
        return new String(first);
    }

    static String firstLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new ServerCommand.UserError(file + " is empty; put the password on its first line");
        }
        return lines.get(0);
    }

    void json(Object value) {
        ctx().out().println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                .writeValueAsString(value));
    }

    static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant.atZone(ZoneId.systemDefault()));
    }
}
