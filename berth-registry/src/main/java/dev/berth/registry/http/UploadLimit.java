package dev.berth.registry.http;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;

import java.util.concurrent.Semaphore;

/**
 * Caps the requests that carry upload bytes at once: each holds megabytes of write buffers while
 * its bytes arrive, however slowly they come. One beyond the cap is refused at once with
 * 429 TOOMANYREQUESTS, which clients retry after the {@code Retry-After} the handler adds.
 * Upload sessions themselves cost only disk and are not counted.
 */
final class UploadLimit {
    /** What a refused client waits before it tries again. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final int max;
    private final Semaphore slots;

    UploadLimit(int max) {
        this.max = max;
        this.slots = new Semaphore(max);
    }

    /** A slot for one request's upload bytes, released when closed; throws when all are taken. */
    Slot acquire() {
        if (!slots.tryAcquire()) {
            throw new RegistryException(ErrorCode.TOOMANYREQUESTS, "the registry is receiving " + max
                    + " uploads already (max-uploads = " + max + "); retry in " + RETRY_AFTER_SECONDS + " s");
        }
        return new Slot();
    }

    final class Slot implements AutoCloseable {
        private boolean released;

        @Override
        public void close() {
            if (!released) {
                released = true;
                slots.release();
            }
        }
    }
}
