package dev.berth.trust;

/** A public key a verification accepts, with the name it is shown under (its file name). */
public record AcceptedKey(String name, VerifyingKey key) {
}
