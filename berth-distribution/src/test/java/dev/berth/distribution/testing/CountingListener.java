package dev.berth.distribution.testing;

import dev.berth.oci.Descriptor;
import dev.berth.oci.transfer.CopyListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a copy moved: blobs skipped, blobs copied, and the bytes read from the source. */
public final class CountingListener implements CopyListener {
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger copied = new AtomicInteger();
    private final Map<Descriptor, Long> bytes = new ConcurrentHashMap<>();

    @Override
    public void blobSkipped(Descriptor blob) {
        skipped.incrementAndGet();
    }

    @Override
    public void blobProgress(Descriptor blob, long bytesSoFar) {
        bytes.merge(blob, bytesSoFar, Math::max);
    }

    @Override
    public void blobDone(Descriptor blob) {
        copied.incrementAndGet();
    }

    public int skipped() {
        return skipped.get();
    }

    public int copied() {
        return copied.get();
    }

    /** Bytes read from the source, at most one full read per blob. */
    public long bytesRead() {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }

    public void reset() {
        skipped.set(0);
        copied.set(0);
        bytes.clear();
    }
}
