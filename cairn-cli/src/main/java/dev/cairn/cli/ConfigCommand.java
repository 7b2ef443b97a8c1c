package dev.cairn.cli;

import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.config.ConfigCheck;
import dev.cairn.agent.config.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The agent's configuration file (docs/agent-config.md). */
@Command(name = "config", description = "Check the agent's configuration file.",
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand {
    @ParentCommand
    Cairn cairn;

    /** The file used when none is given: agent.toml in the user's configuration folder. */
    static Path defaultFile(Places places) {
        return places.configDir().resolve("agent.toml");
    }

    @Command(name = "check", description = {
            "Report every mistake in the agent's configuration as FILE:LINE:COLUMN: message.",
            "Exit code 1 when there is any; otherwise a summary of the backup sets."})
    static final class Check implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
                description = "The configuration file (default: agent.toml in the configuration folder).")
        Path file;

        @Option(names = "--json", description = "Print the problems, or the sets, as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Cairn c = parent.cairn;
            Path f = file != null ? file : defaultFile(c.places);
            if (!Files.exists(f)) {
                throw new Cairn.UserError("no configuration file " + f + " (see docs/agent-config.md for its format)");
            }
            ConfigCheck check = ConfigCheck.check(f);
            // Problems go to stdout, the command's output, so scripts and editors can read them from a pipe.
            c.out.print(json ? Json.write(toJson(check)) + "\n" : check.render());
            return check.ok() ? Cairn.OK : Cairn.ERROR;
        }

        private static Map<String, Object> toJson(ConfigCheck check) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", check.file());
            m.put("ok", check.ok());
            List<Object> problems = new ArrayList<>();
            for (ConfigProblem p : check.problems()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("line", p.line());
                o.put("column", p.column());
                o.put("message", p.message());
                problems.add(o);
            }
            m.put("problems", problems);
            List<Object> sets = new ArrayList<>();
            check.config().ifPresent(cfg -> {
                for (BackupSet s : cfg.sets()) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("name", s.name());
                    o.put("schedule", s.schedule().toString());
                    o.put("mode", s.mode().configName());
                    o.put("repository", s.repository());
                    sets.add(o);
                }
            });
            m.put("sets", sets);
            return m;
        }
    }
}
