package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacesTest {
    @Test
    void of_homeSet_winsOverUserHome() {
        Places p = Places.of(Map.of("HOME", "/home/alice"), "Linux", "/root");
        assertThat(p.defaultRepository()).isEqualTo(Path.of("/home/alice/.local/share/cairn/repository"));
        assertThat(p.cacheDir()).isEqualTo(Path.of("/home/alice/.cache/cairn"));
    }

    @Test
    void of_noHome_fallsBackToUserHome() {
        Places p = Places.of(Map.of(), "Linux", "/root");
        assertThat(p.defaultRepository()).isEqualTo(Path.of("/root/.local/share/cairn/repository"));
    }

    @Test
    void of_xdgDirs_honoured() {
        Places p = Places.of(Map.of("HOME", "/h", "XDG_DATA_HOME", "/data", "XDG_CACHE_HOME", "/cache"), "Linux", "/root");
        assertThat(p.defaultRepository()).isEqualTo(Path.of("/data/cairn/repository"));
        assertThat(p.cacheDir()).isEqualTo(Path.of("/cache/cairn"));
    }

    @Test
    void of_macAndWindows_useTheirConventions() {
        assertThat(Places.of(Map.of("HOME", "/Users/a"), "Mac OS X", "/x").defaultRepository())
                .isEqualTo(Path.of("/Users/a/Library/Application Support/Cairn/repository"));
        assertThat(Places.of(Map.of("LOCALAPPDATA", "/appdata"), "Windows 11", "/x").defaultRepository())
                .isEqualTo(Path.of("/appdata/Cairn/repository"));
    }
}
