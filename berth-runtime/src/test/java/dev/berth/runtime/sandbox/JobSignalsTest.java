package dev.berth.runtime.sandbox;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JobSignalsTest {
    @Test
    void outsideASlurmJobNothingIsAdded() throws IOException {
        assertThat(JobSignals.of(Map.of("PATH", "/usr/bin:/bin"))).isEmpty();
        assertThat(JobSignals.of(Map.of("SLURM_JOB_ID", " "))).isEmpty();
    }

    @Test
    void inAJobTheProgramStartsThroughTheHostsEnvRunByTheHostsOwnLoader() throws IOException {
        JobSignals signals = JobSignals.of(Map.of("SLURM_JOB_ID", "42")).orElseThrow();

        assertThat(signals.binds().binds()).allSatisfy(bind -> {
            assertThat(bind.readOnly()).isTrue();
            assertThat(Files.isRegularFile(bind.source())).as(bind.source().toString()).isTrue();
        });
        assertThat(signals.binds().binds()).extracting(Bind::destination).contains(Path.of("/.berth.d/signals/env"),
                Path.of("/.berth.d/signals/ld.so"), Path.of("/.berth.d/signals/libc.so.6"));
        assertThat(signals.binds().binds()).filteredOn(bind -> bind.destination().endsWith("ld.so")).extracting(Bind::source)
                .containsExactly(Path.of("/lib64/ld-linux-x86-64.so.2").toRealPath());
        assertThat(signals.wrap(List.of("solve", "input.dat"))).containsExactly("/.berth.d/signals/ld.so", "--library-path",
                "/.berth.d/signals", "/.berth.d/signals/env", "--default-signal=TERM,INT,HUP,USR1,USR2", "solve", "input.dat");
    }
}
