package dev.berth.cli.runtime;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The names created in a directory while this is open (inotify, through the JDK's watch
 * service): how a test sees what several processes made there, and how often, even what they
 * removed again before it could look.
 */
final class CreatedNames implements AutoCloseable {
    private final WatchService service;
    private final List<String> names = new ArrayList<>();

    private CreatedNames(WatchService service) {
        this.service = service;
    }

    static CreatedNames in(Path directory) throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        directory.register(service, StandardWatchEventKinds.ENTRY_CREATE);
        return new CreatedNames(service);
    }

    /** Every name created so far, in order; the events of the last moment are waited for briefly. */
    List<String> names() throws InterruptedException {
        for (WatchKey key = service.poll(1, TimeUnit.SECONDS); key != null; key = service.poll(1, TimeUnit.SECONDS)) {
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    throw new AssertionError("too many events in the watched directory to count them");
                }
                names.add(event.context().toString());
            }
            key.reset();
        }
        return List.copyOf(names);
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
