package dev.berth.cli.commands.trust;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a few network reads side by side, each on a platform thread of its own, keeping their
 * order. Not virtual threads: their first blocking socket read starts the JDK's poller threads,
 * which wait in native code for good, and a JVM halting with threads in native code waits 300 ms
 * for them (docs/benchmarks.md, Trust).
 */
final class Concurrently {
    /** A read that may fail with an I/O error. */
    interface Read<T, R> {
        R apply(T item) throws IOException;
    }

    private Concurrently() {
    }

    /** {@code read} of every item, in the items' order; the first failure (in that order) is thrown. */
    static <T, R> List<R> map(List<T> items, Read<T, R> read) throws IOException {
        if (items.size() < 2) {
            List<R> results = new ArrayList<>();
            for (T item : items) {
                results.add(read.apply(item));
            }
            return results;
        }
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().daemon().name("berth-read-", 0).factory())) {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(threads.submit(() -> read.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(outcome(future));
            }
            return results;
        }
    }

    private static <R> R outcome(Future<R> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading from the registry");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case UncheckedIOException unchecked -> throw unchecked.getCause();
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IOException(e.getCause());
            }
        }
    }
}
