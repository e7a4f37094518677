package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.oci.Json;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.ImageResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code berth convert}: an image as one read-only file you can copy anywhere and run. */
public final class ConvertCommand extends ContainerCommand {
    private String reference;
    private Path output;
    private boolean executable;
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Write an image as a single squashfs file that 'berth run FILE' runs.",
                        "With --executable the file runs by itself: ./tool.img ARGS (berth must be on PATH).")
                .parameter("REF", "An image in the local store (pulled first when absent).", value -> reference = value)
                .requiredOption("-o, --output", "FILE", "Where to write the image file.", value -> output = Path.of(value))
                .flag("-x, --executable", "Make FILE directly executable; a symlink to it runs with BERTH_NAME set to the link's name.",
                        () -> executable = true)
                .flag("--json", "Print the file written, its size and whether it is executable, as JSON.", () -> json = true);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        images(store, cache(null), ImageResolver.Policy.NONE).writeImageFile(reference, output, executable);
        if (json) {
            out().println(Json.writePretty(Json.mapper().createObjectNode().put("image", reference).put("file", output.toString())
                    .put("size", Files.size(output)).put("executable", executable)));
        } else {
            out().println(output);
        }
        return 0;
    }
}
