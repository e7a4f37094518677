package dev.berth.trust;

/** A signature's content breaks cosign's specification; the message completes "the signature is refused: ...". */
public final class InvalidSignatureException extends RuntimeException {
    public InvalidSignatureException(String reason) {
        super(reason);
    }
}
