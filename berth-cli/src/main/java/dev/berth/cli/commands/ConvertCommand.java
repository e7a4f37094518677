package dev.berth.cli.commands;

import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.ImageCache;
import dev.berth.runtime.ImageFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;

/** {@code berth convert}: an image as one read-only file you can copy anywhere and run. */
@Command(name = "convert", mixinStandardHelpOptions = true, description = {"Write an image as a single squashfs file that 'berth run FILE' runs.",
        "With --executable the file runs by itself: ./tool.img ARGS (berth must be on PATH)."})
public final class ConvertCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "REF", description = "An image in the local store.")
    private String reference;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the image file.")
    private Path output;

    @Option(names = {"-x", "--executable"}, description = "Make FILE directly executable; a symlink to it runs with BERTH_NAME set to the link's name.")
    private boolean executable;

    @Option(names = "--shared-cache", paramLabel = "DIR", description = "A read-only cache of converted images to use before your own.")
    private Path sharedCache;

    @Override
    protected int run(LocalStore store) throws IOException {
        ImageFile image = resolve(reference, store, cache(sharedCache));
        ImageFile.write(image.path(), output, executable);
        out().println(output);
        return 0;
    }
}
