package dev.berth.cli.runtime;

import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** berth exec/run with an image the local store lacks pulls it first, as docker run does. */
class PullOnFirstUseTest {
    @Test
    void execPullsFromTheRegistryThenRunsAndKeepsTheImage() throws Exception {
        try (UnprivilegedUser user = UnprivilegedUser.create()) {
            pullsOnFirstUse(user);
        }
    }

    private static void pullsOnFirstUse(UnprivilegedUser user) throws Exception {
        Path layout = UmociImages.busybox(user.workspace().resolve("layout"), "latest", 0);
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", layout.toString());
        String work = user.scratch().toString();
        String script = String.join("\n",
                "export BERTH_DATA_DIR=" + work + "/data",
                "berth serve --listen 127.0.0.1:0 --root " + work + "/registry > " + work + "/serve.out 2>/dev/null &",
                "serve=$!",
                "trap 'kill $serve' EXIT",
                "for i in $(seq 300); do grep -q 'listening on' " + work + "/serve.out && break; sleep 0.1; done",
                "host=$(grep -o '127.0.0.1:[0-9]*' " + work + "/serve.out)",
                "REGISTRY_AUTH_FILE=$HOME/.skopeo-auth.json skopeo copy -q --dest-tls-verify=false oci:" + layout + ":latest docker://$host/lab/first:1",
                "berth exec $host/lab/first:1 sh -c 'echo ran-inside' 2>" + work + "/pull.err",
                "berth images | grep -c \"$host/lab/first\"");
        Tools.Result result = user.sh(work, script);
        assertThat(result.exitCode()).as(result.stderr() + result.stdout()).isZero();
        assertThat(result.stdout()).isEqualTo("ran-inside\n1\n");
        assertThat(Path.of(work, "pull.err")).content().contains("Downloaded");
    }
}
