package dev.berth.registry.storage;

import dev.berth.oci.DigestAlgorithm;

import java.time.Instant;

/** Where an upload session stands: its repository, the algorithm it hashes with, and the bytes received. */
public record UploadState(String id, String repository, DigestAlgorithm algorithm, long size, Instant started) {

    public UploadState withSize(long newSize) {
        return new UploadState(id, repository, algorithm, newSize, started);
    }
}
