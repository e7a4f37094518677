package dev.berth.oci.transfer;

import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ManifestBytes;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The one operation behind pull, push, import, export and copy: walk an image from a source to
 * a sink, moving only the blobs the sink lacks, children before the manifests that name them.
 */
public final class ImageCopier {
    public static final int DEFAULT_PARALLELISM = 4;

    private final int parallelism;
    private final CopyListener listener;

    public ImageCopier(int parallelism, CopyListener listener) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
        this.listener = listener;
    }

    public ImageCopier() {
        this(DEFAULT_PARALLELISM, CopyListener.NONE);
    }

    /**
     * Copies the image {@code root} points at. An index is copied whole when {@code platforms}
     * is {@link PlatformChoice#ALL}; otherwise it resolves to the one manifest for the platform,
     * which becomes the copied root.
     *
     * @return the root manifest as written to the sink
     */
    public ManifestBytes copy(ImageSource source, Descriptor root, PlatformChoice platforms, ImageSink sink)
            throws IOException {
        ManifestBytes manifest = source.manifest(root);
        if (manifest.isIndex()) {
            if (!platforms.all()) {
                return copy(source, choose(manifest, platforms.platform()), platforms, sink);
            }
            for (Descriptor child : manifest.index().manifests()) {
                copy(source, child, platforms, sink);
            }
        } else {
            copyBlobs(source, manifest.references(), sink);
        }
        sink.putManifest(manifest);
        return manifest;
    }

    /** The index entry for {@code wanted}, or an error that lists what the index offers. */
    public static Descriptor choose(ManifestBytes index, Platform wanted) {
        for (Descriptor child : index.index().manifests()) {
            if (child.platform() != null && child.platform().satisfies(wanted)) {
                return child;
            }
        }
        String available = index.index().manifests().stream()
                .map(d -> d.platform() == null ? "(no platform)" : d.platform().toString())
                .collect(Collectors.joining(", "));
        throw new NotFoundException("no image for platform " + wanted + " in index " + index.digest()
                + "; it has: " + (available.isEmpty() ? "nothing" : available) + " (choose one with --platform)");
    }

    private void copyBlobs(ImageSource source, List<Descriptor> blobs, ImageSink sink) throws IOException {
        Map<Digest, Descriptor> unique = new LinkedHashMap<>();
        for (Descriptor blob : blobs) {
            unique.putIfAbsent(blob.digest(), blob);
        }
        List<Descriptor> missing = new ArrayList<>();
        for (Descriptor blob : unique.values()) {
            if (sink.hasBlob(blob)) {
                listener.blobSkipped(blob);
            } else {
                missing.add(blob);
            }
        }
        // Largest first: the copy then ends with every worker busy on a small blob rather than
        // one worker alone on a large one that happened to come last (bench/pull: 30-40 ms). A
        // lambda of berth's own: the AOT cache keeps it, but not what Comparator.comparingLong spins.
        missing.sort((a, b) -> Long.compare(b.size(), a.size()));
        if (missing.size() <= 1 || parallelism == 1) {
            for (Descriptor blob : missing) {
                copyBlob(source, blob, sink);
            }
            return;
        }
        // Platform threads: a blob copy blocks in socket reads, which on a virtual thread start the
        // JDK's poller thread, and a JVM that exits while a thread waits in epoll first waits
        // 0.3 s for it (bench/pull). Four threads that end with the copy cost nothing comparable.
        // Named without a Thread.Builder: its counter links a VarHandle at first use, which spins
        // classes at run time that the AOT cache does not keep (5-10 ms).
        AtomicInteger threads = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, missing.size()),
                task -> new Thread(task, "berth-copy-" + threads.getAndIncrement()))) {
            List<Future<?>> futures = new ArrayList<>();
            for (Descriptor blob : missing) {
                futures.add(pool.submit(() -> {
                    try {
                        copyBlob(source, blob, sink);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            awaitAll(futures);
        }
    }

    private static void awaitAll(List<Future<?>> futures) throws IOException {
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new IOException("copy interrupted", e);
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                Throwable cause = e.getCause();
                if (cause instanceof UncheckedIOException unchecked) {
                    throw unchecked.getCause();
                }
                if (cause instanceof BerthException berth) {
                    throw berth;
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException(cause);
            }
        }
    }

    private void copyBlob(ImageSource source, Descriptor blob, ImageSink sink) throws IOException {
        listener.blobStarted(blob);
        sink.putBlob(blob, new BlobOpener() {
            @Override
            public InputStream open() throws IOException {
                return openFrom(0);
            }

            @Override
            public InputStream openFrom(long offset) throws IOException {
                return new ProgressStream(source.blob(blob, offset), blob, offset);
            }

            @Override
            public boolean costlyToReadAgain() {
                return source.remote();
            }
        });
        listener.blobDone(blob);
    }

    private final class ProgressStream extends FilterInputStream {
        private final Descriptor blob;
        private long count;

        ProgressStream(InputStream in, Descriptor blob, long offset) {
            super(in);
            this.blob = blob;
            this.count = offset;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                listener.blobProgress(blob, ++count);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
                listener.blobProgress(blob, count);
            }
            return n;
        }
    }
}
