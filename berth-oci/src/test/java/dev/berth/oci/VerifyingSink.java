package dev.berth.oci;

import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.transfer.ImageSink;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps nothing but reads every blob to the end, proving each is present and intact. */
public final class VerifyingSink implements ImageSink {
    private final List<Digest> verified = new ArrayList<>();

    @Override
    public boolean hasBlob(Descriptor descriptor) {
        return false;
    }

    @Override
    public synchronized void putBlob(Descriptor descriptor, InputStream content) throws IOException {
        new DigestingInputStream(content, descriptor.digest().algorithm()).drainAndVerify("blob", descriptor.digest(), descriptor.size());
        verified.add(descriptor.digest());
    }

    @Override
    public void putManifest(ManifestBytes manifest) {
    }

    @Override
    public void tag(Reference name, ManifestBytes root) {
    }

    @Override
    public void commit() {
    }

    @Override
    public void close() {
    }

    public synchronized List<Digest> verified() {
        return List.copyOf(verified);
    }
}
