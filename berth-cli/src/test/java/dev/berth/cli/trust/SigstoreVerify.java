package dev.berth.cli.trust;

import dev.berth.distribution.testing.Programs;
import dev.berth.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** npm @sigstore/verify, installed by scripts/test under target/test-tools/sigstore: the independent judge of bundles. */
public final class SigstoreVerify {
    private SigstoreVerify() {
    }

    /** Runs verify_bundle.js on {@code bundle} with {@code publicKey}; exit 0 only if it verifies and names {@code digest}. */
    public static Programs.Result run(Path bundle, Path publicKey, Digest digest) throws IOException {
        Path script = Files.createTempFile("verify_bundle", ".js");
        try (InputStream in = SigstoreVerify.class.getResourceAsStream("verify_bundle.js")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            return Programs.run(List.of("node", script.toString(), bundle.toString(), publicKey.toString(), digest.toString()),
                    null, Map.of("NODE_PATH", modules().toString()));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static Path modules() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path modules = dir.resolve("target/test-tools/sigstore/node_modules");
            if (Files.isRegularFile(dir.resolve("scripts/test")) && Files.isDirectory(modules.resolve("@sigstore/verify"))) {
                return modules;
            }
        }
        throw new AssertionError("npm @sigstore/verify is not installed: run scripts/test as root, or npm install --prefix"
                + " target/test-tools/sigstore --no-save @sigstore/verify@4.1.3 @sigstore/bundle@5.0.1 in the repository root");
    }
}
