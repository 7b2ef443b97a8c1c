package dev.cairn.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStatusTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void writeThenRead_roundTrips(@TempDir Path dir) throws Exception {
        AgentStatus status = sample(ProcessHandle.current().pid());

        status.write(dir);

        assertThat(AgentStatus.read(dir)).contains(status);
        assertThat(AgentStatus.read(dir).orElseThrow().agentAlive()).isTrue();
    }

    @Test
    void read_noFile_isEmpty(@TempDir Path dir) throws Exception {
        assertThat(AgentStatus.read(dir)).isEmpty();
    }

    @Test
    void renderText_showsLastRunResultReasonAndNextRun() {
        String text = sample(-1).renderText(ZoneOffset.UTC);

        assertThat(text).startsWith("agent not running")
                .contains("docs: idle, schedule 0 * * * *")
                .contains("last backup: 2024-05-01 10:00, failed, 0 files / 0 B added (pre-hook failed with exit code 3)")
                .contains("next backup: 2024-05-01 11:00")
                .contains("notes: running backup")
                .contains("no run yet");
    }

    private static AgentStatus sample(long pid) {
        LastRun failed = new LastRun("backup", T0, T0.plusSeconds(3), "failed",
                Optional.of("pre-hook failed with exit code 3"), 0, 0, Optional.empty());
        return new AgentStatus(T0, pid, true, List.of(
                new SetStatus("docs", "0 * * * *", "idle", Map.of("backup", failed),
                        Optional.of(T0.plusSeconds(3600)), Optional.empty()),
                new SetStatus("notes", "continuous (delay 1m)", "running backup", Map.of(), Optional.empty(),
                        Optional.empty())));
    }
}
