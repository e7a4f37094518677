package dev.berth.runtime.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StateProtectionTest {
    @TempDir
    Path home;

    @Test
    void eachPieceOfStateUnderAWritableBindIsBoundReadOnlyOnceAndABindInsideItBecomesReadOnly() throws IOException {
        Path lib = Files.createDirectories(home.resolve("berth/lib"));
        Path store = Files.createDirectories(home.resolve("store"));
        Path inside = Files.createDirectories(store.resolve("blobs"));
        Map<String, List<String>> mounts = new LinkedHashMap<>();
        mounts.put("/home/ada", List.of("--bind", home.toString(), "/home/ada"));
        mounts.put("/data", List.of("--bind", inside.toString(), "/data"));

        // the class path names lib/ once for each of its jars
        List<List<String>> protections = StateProtection.readOnlyOver(mounts, List.of(lib, lib, lib, store));

        assertThat(protections).containsExactly(
                List.of("--ro-bind", lib.toRealPath().toString(), "/home/ada/berth/lib"),
                List.of("--ro-bind", store.toRealPath().toString(), "/home/ada/store"));
        assertThat(mounts.get("/data")).containsExactly("--ro-bind", inside.toString(), "/data");
    }
}
