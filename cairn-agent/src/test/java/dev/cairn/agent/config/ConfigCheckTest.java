package dev.cairn.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {
    private static final Path HOME = Path.of("/home/alice");

    private static final String MINIMAL_SET = """
            [set.docs]
            paths = ["/data"]
            repository = "/backup"
            password-file = "/etc/pw"
            schedule = "0 * * * *"
            """;

    @Test
    void check_readmeExample_parsesCompletely() throws IOException {
        String readme = Files.readString(Path.of("../docs/agent-config.md"));
        String example = readme.substring(readme.indexOf("```toml") + 7, readme.lastIndexOf("```"));

        ConfigCheck check = ConfigCheck.check("agent.toml", example, HOME);

        assertThat(check.problems()).isEmpty();
        AgentConfig config = check.config().orElseThrow();
        assertThat(config.stateDir()).contains(Path.of("/home/alice/.local/state/cairn/agent"));
        assertThat(config.loadThreshold()).isEqualTo(1.5);
        assertThat(config.limitUpload()).isEqualTo(2L * 1024 * 1024);
        assertThat(config.limitDownload()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.reportToServer()).contains(true);
        assertThat(config.sets()).extracting(BackupSet::name).containsExactly("documents", "notes", "database");

        BackupSet docs = config.set("documents").orElseThrow();
        assertThat(docs.paths()).containsExactly(Path.of("/home/alice/Documents"), Path.of("/home/alice/Pictures"));
        assertThat(docs.excludes()).containsExactly("*.tmp", "~*", ".cache", "/home/*/Documents/scratch");
        assertThat(docs.onServer()).isTrue();
        assertThat(docs.credential()).isEqualTo(new Credential.PasswordFile(Path.of("/home/alice/.config/cairn/password")));
        assertThat(docs.schedule()).isEqualTo(new SetSchedule.Cron("0 * * * *"));
        assertThat(docs.fullEvery()).contains("0 3 * * 0");
        assertThat(docs.retention().keepHourly()).isEqualTo(OptionalInt.of(24));
        assertThat(docs.retention().keepLast()).isEmpty();
        assertThat(docs.drill()).contains("0 4 * * 0");
        assertThat(docs.drillSample()).isEqualTo(new DrillSample.Percent(1));

        BackupSet notes = config.set("notes").orElseThrow();
        assertThat(notes.schedule()).isEqualTo(new SetSchedule.Continuous(Duration.ofSeconds(30)));
        assertThat(notes.credential()).isEqualTo(new Credential.PasswordCommand("secret-tool lookup service cairn"));
        assertThat(notes.retention().keepWithin()).contains(Duration.ofDays(14));
        assertThat(config.reportsFor(notes)).isTrue();

        BackupSet db = config.set("database").orElseThrow();
        assertThat(db.mode()).isEqualTo(BackupMode.DIFFERENTIAL);
        assertThat(db.hooks()).isEqualTo(new HookSpec(Optional.of("pg_dump -Fc mydb > /var/backups/db/mydb.dump"),
                Optional.of("rm -f /var/backups/db/mydb.dump"), Duration.ofMinutes(30)));
    }

    @Test
    void check_minimalSet_appliesDefaults() {
        AgentConfig config = ok(MINIMAL_SET);

        BackupSet set = config.sets().get(0);
        assertThat(config.loadThreshold()).isEqualTo(AgentConfig.DEFAULT_LOAD_THRESHOLD);
        assertThat(config.limitUpload()).isZero();
        assertThat(config.reportsFor(set)).isFalse();
        assertThat(set.mode()).isEqualTo(BackupMode.INCREMENTAL);
        assertThat(set.retention().isEmpty()).isTrue();
        assertThat(set.hooks()).isEqualTo(HookSpec.NONE);
        assertThat(set.excludes()).isEmpty();
    }

    @Test
    void check_continuousWithoutDelay_defaultsToSixtySeconds() {
        AgentConfig config = ok(MINIMAL_SET.replace("\"0 * * * *\"", "\"continuous\""));

        assertThat(config.sets().get(0).schedule()).isEqualTo(new SetSchedule.Continuous(Duration.ofSeconds(60)));
    }

    @Test
    void check_stringsAndComments_areReadLikeToml() {
        AgentConfig config = ok("""
                # a comment
                [set.docs]   # trailing comment
                paths = [ '/C:\\not\\escaped', "/with \\"quote\\" and # hash" ] # comment
                repository = "/backup"
                password-command = "echo \\u00e9"
                schedule = "0 * * * *"
                """);

        BackupSet set = config.sets().get(0);
        assertThat(set.paths()).extracting(Path::toString)
                .containsExactly("/C:\\not\\escaped", "/with \"quote\" and # hash");
        assertThat(set.credential()).isEqualTo(new Credential.PasswordCommand("echo é"));
    }

    @Test
    void check_unknownKey_reportsLineAndSuggestion() {
        List<ConfigProblem> problems = problems(MINIMAL_SET + "pathz = [\"/x\"]\n");

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).line()).isEqualTo(6);
        assertThat(problems.get(0).toString()).startsWith("agent.toml:6:1: unknown key 'pathz' in [set.docs];"
                + " expected one of paths, excludes").endsWith("(did you mean 'paths'?)");
    }

    @Test
    void check_badCron_reportsCronUtilsMessageAtValue() {
        List<ConfigProblem> problems = problems(MINIMAL_SET.replace("0 * * * *", "0 25 * * *"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.column()).isEqualTo(12);
            assertThat(p.message()).contains("bad cron expression \"0 25 * * *\"").contains("Value 25 not in range");
        });
    }

    @Test
    void check_setWithoutPaths_pointsAtTableHeader() {
        List<ConfigProblem> problems = problems("\n" + MINIMAL_SET.replace("paths = [\"/data\"]\n", ""));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("[set.docs] has no 'paths'");
        });
    }

    @Test
    void check_relativePath_isRejected() {
        List<ConfigProblem> problems = problems(MINIMAL_SET.replace("\"/data\"", "\"data\""));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("\"data\" is relative");
        });
    }

    @Test
    void check_continuousWithFullEvery_isRejected() {
        List<ConfigProblem> problems = problems(MINIMAL_SET.replace("\"0 * * * *\"", "\"continuous\"")
                + "full-every = \"0 3 * * 0\"\n");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(6);
            assertThat(p.message()).contains("'full-every' is not allowed").contains("continuous");
        });
    }

    @Test
    void check_unknownMode_listsModes() {
        List<ConfigProblem> problems = problems(MINIMAL_SET + "mode = \"weekly\"\n");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(6);
            assertThat(p.message()).isEqualTo("unknown mode 'weekly'; expected one of incremental, full, differential");
        });
    }

    @Test
    void check_duplicateSet_reportsBothLines() {
        List<ConfigProblem> problems = problems(MINIMAL_SET + "\n" + MINIMAL_SET);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.message()).isEqualTo("duplicate table [set.docs]; it was already defined on line 1");
        });
    }

    @Test
    void check_setNamesDifferingInCase_areRejected() {
        List<ConfigProblem> problems = problems(MINIMAL_SET + MINIMAL_SET.replace("[set.docs]", "[set.Docs]"));

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("only in case"));
    }

    @Test
    void check_syntaxErrors_reportLineAndColumn() {
        List<ConfigProblem> problems = problems("""
                [agent]
                load-threshold = high
                limit-upload = "2MiB/s
                [set.docs
                """);

        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::column)
                .contains(org.assertj.core.groups.Tuple.tuple(2, 18), org.assertj.core.groups.Tuple.tuple(3, 16),
                        org.assertj.core.groups.Tuple.tuple(4, 10));
        assertThat(problems).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m).contains("strings need quotes"))
                .anySatisfy(m -> assertThat(m).contains("unterminated string"))
                .anySatisfy(m -> assertThat(m).contains("expected '.' or ']'"));
    }

    @Test
    void check_wrongTypes_sayWhatWasExpected() {
        List<ConfigProblem> problems = problems(MINIMAL_SET.replace("[\"/data\"]", "\"/data\"") + "keep-last = 0\n");

        assertThat(problems).extracting(ConfigProblem::message).containsExactly(
                "'paths' must be an array of strings, like [\"…\", \"…\"]; found a string",
                "'keep-last' must be a whole number of at least 1; found 0");
    }

    @Test
    void check_unterminatedArray_isReportedWhereItOpensAndParsingGoesOn() {
        List<ConfigProblem> problems = problems("""
                [set.docs]
                paths = ["/data",
                repository = "/backup"
                password-file = "/etc/pw"
                schedule = "0 * * * *"
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("unterminated array");
        });
    }

    @Test
    void check_manyMistakes_areAllReportedInFileOrder() {
        ConfigCheck check = ConfigCheck.check("agent.toml", """
                [agnet]
                [set.docs]
                paths = ["rel"]
                repository = "/backup"
                schedule = "continous"
                delay = "5 minutes"
                mode = "full"
                drill-sample = "1%"
                pre-hook = ""
                """, HOME);

        assertThat(check.ok()).isFalse();
        assertThat(check.config()).isEmpty();
        assertThat(check.problems()).extracting(ConfigProblem::line).containsExactly(1, 2, 3, 5, 6, 8, 9);
        assertThat(check.problems().get(0).message()).contains("unknown table [agnet]").contains("did you mean 'agent'");
        assertThat(check.problems().get(1).message()).contains("no password source");
        assertThat(check.problems().get(3).message()).contains("did you mean 'continuous'");
        assertThat(check.render()).endsWith("7 problems\n");
        assertThatThrownBy(check::orThrow).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(7));
    }

    @Test
    void check_serverOnlyKeysOnFolderRepository_areRejected() {
        List<ConfigProblem> problems = problems(MINIMAL_SET + "server-token-file = \"/etc/token\"\n");

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message())
                .contains("'server-token-file' is not allowed").contains("server"));
    }

    @Test
    void check_noSets_isAProblem() {
        assertThat(problems("[agent]\n")).singleElement()
                .satisfies(p -> assertThat(p.toString()).isEqualTo("agent.toml: no backup sets; expected at least one [set.NAME] table"));
    }

    @Test
    void check_rates_parseUnits() {
        AgentConfig config = ok("[agent]\nlimit-upload = \"500KiB/s\"\nlimit-download = \"1.5MB\"\n" + MINIMAL_SET);

        assertThat(config.limitUpload()).isEqualTo(500 * 1024);
        assertThat(config.limitDownload()).isEqualTo(1_500_000);
    }

    @Test
    void load_file_readsFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.toml");
        Files.writeString(file, MINIMAL_SET);

        assertThat(AgentConfig.load(file).sets()).hasSize(1);
    }

    @Test
    void durations_parseAndFormat() {
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(Durations.format(Duration.ofSeconds(60))).isEqualTo("1m");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("not a duration");
    }

    private static AgentConfig ok(String text) {
        ConfigCheck check = ConfigCheck.check("agent.toml", text, HOME);
        assertThat(check.problems()).isEmpty();
        return check.config().orElseThrow();
    }

    private static List<ConfigProblem> problems(String text) {
        return ConfigCheck.check("agent.toml", text, HOME).problems();
    }
}
