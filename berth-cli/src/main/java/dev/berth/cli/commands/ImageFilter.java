package dev.berth.cli.commands;

import dev.berth.cli.args.UsageException;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code berth images --filter}, with Docker's keys: {@code reference=PATTERN} (a glob on the name
 * or name:tag, where {@code *} stays within one path component), {@code dangling=true|false}
 * (images without a tag), {@code before=IMAGE} and {@code since=IMAGE} (built before or after
 * that image). Several filters must all hold, except that several references may each match.
 */
final class ImageFilter {
    /** An image as the filters see it. */
    record Candidate(ImageRecord record, Instant created) {
    }

    private final List<Predicate<Candidate>> all = new ArrayList<>();
    private final List<Predicate<Candidate>> references = new ArrayList<>();

    static ImageFilter parse(List<String> filters, LocalStore store) throws IOException {
        ImageFilter filter = new ImageFilter();
        for (String text : filters) {
            int equals = text.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--filter takes KEY=VALUE, not \"" + text + "\"");
            }
            String value = text.substring(equals + 1);
            switch (text.substring(0, equals)) {
                case "reference" -> filter.references.add(reference(value));
                case "dangling" -> filter.all.add(dangling(value));
                case "before" -> {
                    Instant limit = createdOf(store, value);
                    filter.all.add(candidate -> candidate.created() != null && candidate.created().isBefore(limit));
                }
                case "since" -> {
                    Instant limit = createdOf(store, value);
                    filter.all.add(candidate -> candidate.created() != null && candidate.created().isAfter(limit));
                }
                default -> throw new UsageException("--filter: unknown key \"" + text.substring(0, equals)
                        + "\" (berth knows reference, dangling, before and since)");
            }
        }
        return filter;
    }

    boolean accepts(Candidate candidate) {
        return all.stream().allMatch(test -> test.test(candidate))
                && (references.isEmpty() || references.stream().anyMatch(test -> test.test(candidate)));
    }

    private static Predicate<Candidate> reference(String pattern) {
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        return candidate -> {
            String name = candidate.record().name().familiarName();
            return glob.matches(Path.of(name)) || candidate.record().name().tag()
                    .map(tag -> glob.matches(Path.of(name + ":" + tag))).orElse(false);
        };
    }

    private static Predicate<Candidate> dangling(String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new UsageException("--filter dangling= takes true or false, not \"" + value + "\"");
        }
        boolean wanted = value.equals("true");
        return candidate -> candidate.record().name().tag().isEmpty() == wanted;
    }

    private static Instant createdOf(LocalStore store, String image) throws IOException {
        Instant created = ImageSummary.of(store, store.require(image)).created();
        if (created == null) {
            throw new UsageException("--filter: image \"" + image + "\" records no creation time to compare with");
        }
        return created;
    }
}
