package dev.berth.oci.store;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Reference;

import java.time.Instant;

/** A name in the local store and the manifest it points at. */
public record ImageRecord(Reference name, Descriptor root, Instant taggedAt) {
}
