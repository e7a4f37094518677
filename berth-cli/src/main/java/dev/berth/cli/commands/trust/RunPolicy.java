package dev.berth.cli.commands.trust;

import dev.berth.cli.commands.access.StaffKeys;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.distribution.Registries;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.HomeDirectory;
import dev.berth.oci.Reference;
import dev.berth.oci.Toml;
import dev.berth.runtime.ImageFileSignatures;
import dev.berth.runtime.ImageResolver;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.FileSignatures;
import dev.berth.trust.VerifyingKey;
import dev.berth.trust.policy.ExecutionPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The execution policy {@code berth run}, {@code exec} and {@code shell} obey: the site's
 * ({@code /etc/berth/policy.toml}, the admin's) and the user's own
 * ({@code ~/.config/berth/policy.toml}), which can only tighten it, since an image runs only
 * when both accept it. Signatures are checked against the image's registry; a digest once
 * verified under the same keys is remembered in the user's cache, so a later run costs no request.
 */
public final class RunPolicy implements ImageResolver.Policy {
    /** Where the site's policy is; a test (or a site packaging berth elsewhere) names another with this property. */
    public static final String SITE_PROPERTY = "berth.site-policy";
    private static final Path SITE = Path.of("/etc/berth/policy.toml");

    private final List<ExecutionPolicy> policies;
    private final Path verifiedCache;

    private RunPolicy(List<ExecutionPolicy> policies, Path verifiedCache) {
        this.policies = policies;
        this.verifiedCache = verifiedCache;
    }

    /** The policy files, the site's first: a user's may only tighten it. */
    public static List<Path> files(Map<String, String> environment) {
        String config = environment.getOrDefault("XDG_CONFIG_HOME", "");
        Path user = (config.isBlank() ? HomeDirectory.of(environment).resolve(".config") : Path.of(config))
                .resolve("berth/policy.toml");
        return List.of(Path.of(System.getProperty(SITE_PROPERTY, SITE.toString())), user);
    }

    public static RunPolicy load(Map<String, String> environment) throws IOException {
        Path home = HomeDirectory.of(environment);
        String cache = environment.getOrDefault("XDG_CACHE_HOME", "");
        List<ExecutionPolicy> policies = new ArrayList<>();
        for (Path file : files(environment)) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                policies.add(ExecutionPolicy.fromTables(Toml.tables(text, file.toString()), file.toString()));
            } catch (NoSuchFileException absent) {
                // no policy at this level: it accepts everything
            }
        }
        return new RunPolicy(policies, (cache.isBlank() ? home.resolve(".cache") : Path.of(cache)).resolve("berth/verified"));
    }

    /** Whether no policy file exists at any level, so that every image may run. */
    public boolean acceptsEverything() {
        return policies.isEmpty();
    }

    /** Refuses, naming the rule, an image file that a policy does not let run. */
    @Override
    public void requireFile(Path file) throws IOException {
        for (ExecutionPolicy policy : policies) {
            ExecutionPolicy.Scope scope = policy.forFiles();
            switch (scope.rule()) {
                case ACCEPT -> {
                }
                case REJECT -> throw refused(file.toString(), scope,
                        "image files named by path do not run here; run an image by its name");
                case SIGNED_BY -> requireSignedFile(file, scope);
                case TRUSTED -> throw new IllegalStateException("the policy parser refuses [files] rule = trusted");
            }
        }
    }

    /**
     * A signature the file carries must cover its content. The file is hashed once per version of
     * it: the cache key holds its device, inode, size and change time, which a rewrite, a copy or
     * a {@code touch} all change, so the result is reused only for the very file that was checked.
     */
    private void requireSignedFile(Path file, ExecutionPolicy.Scope scope) throws IOException {
        Map<String, Object> identity = Files.readAttributes(file, "unix:dev,ino,size,ctime");
        Path remembered = remembered(String.join("\n", "file", file.toRealPath().toString(),
                String.valueOf(identity.get("dev")), String.valueOf(identity.get("ino")), String.valueOf(identity.get("size")),
                String.valueOf(((FileTime) identity.get("ctime")).to(TimeUnit.NANOSECONDS))), keyFiles(scope));
        if (Files.exists(remembered)) {
            return;
        }
        ImageFileSignatures.Carried carried;
        try {
            carried = ImageFileSignatures.read(file);
        } catch (BerthException e) {
            throw refused(file.toString(), scope, e.getMessage());
        }
        if (carried.signatures().isEmpty()) {
            throw refused(file.toString(), scope, "it carries no signature (sign it with berth sign FILE --key KEY)");
        }
        Digest content = ImageFileSignatures.contentDigest(file, carried.contentLength());
        if (FileSignatures.check(carried.signatures(), content, keys(scope)).stream().noneMatch(FileSignatures.Finding::valid)) {
            throw refused(file.toString(), scope, "no valid signature by an accepted key covers its content");
        }
        remember(remembered);
    }

    /** Refuses, naming the rule and the scope, an image that a policy does not let run. */
    @Override
    public void requireImage(Reference name, Digest digest) throws IOException {
        String subject = name.registry() + "/" + name.repository() + "@" + digest;
        for (ExecutionPolicy policy : policies) {
            ExecutionPolicy.Scope scope = policy.forImage(name.registry(), name.repository());
            switch (scope.rule()) {
                case ACCEPT -> {
                }
                case REJECT -> throw refused(subject, scope, "images of this scope do not run here");
                case SIGNED_BY -> requireSigned(name, digest, keyFiles(scope), () -> keys(scope), scope, subject);
                case TRUSTED -> {
                    List<AcceptedKey> staff = trustedProjectKeys(name, scope, subject);
                    requireSigned(name, digest, fingerprints(staff), () -> staff, scope, subject);
                }
            }
        }
    }

    /** The keys of a rule, read only when the digest was not verified under them before. */
    @FunctionalInterface
    private interface KeySource {
        List<AcceptedKey> load() throws IOException;
    }

    /**
     * {@code keySet} names the accepted keys for the cache of verified digests: a verified digest
     * runs again without parsing a key or asking the registry.
     */
    private void requireSigned(Reference name, Digest digest, String keySet, KeySource keySource,
                               ExecutionPolicy.Scope scope, String subject) throws IOException {
        Path remembered = remembered(digest.toString(), keySet);
        if (Files.exists(remembered)) {
            return;
        }
        List<AcceptedKey> keys = keySource.load();
        List<SignatureEvidence> findings;
        try (Registries registries = new RegistryFlags().registries()) {
            Reference exact = name.withDigest(digest);
            Registries.Resolved resolved = registries.resolve(exact);
            findings = SignatureEvidence.gather(resolved.source(), exact, digest, keys);
        } catch (IOException | BerthException e) {
            throw refused(subject, scope, "its signatures could not be read from " + name.registry() + ": " + e.getMessage());
        }
        if (findings.stream().noneMatch(SignatureEvidence::valid)) {
            throw refused(subject, scope, findings.isEmpty() ? "it has no signature"
                    : "no valid signature by an accepted key covers it: " + SignatureEvidence.problems(findings));
        }
        remember(remembered);
    }

    /** Where the cache of verified digests remembers that {@code subject} was verified under {@code keySet}. */
    private Path remembered(String subject, String keySet) {
        return verifiedCache.resolve(Digest.of(String.join("\n", subject, keySet).getBytes(StandardCharsets.UTF_8)).hex());
    }

    private void remember(Path remembered) throws IOException {
        Files.createDirectories(verifiedCache);
        try {
            Files.createFile(remembered);
        } catch (FileAlreadyExistsException alreadyKnown) {
            // another run verified it meanwhile
        }
    }

    private static List<AcceptedKey> keys(ExecutionPolicy.Scope scope) throws IOException {
        List<AcceptedKey> keys = new ArrayList<>();
        for (Path file : scope.keys()) {
            try {
                keys.add(new AcceptedKey(file.getFileName().toString(), VerifyingKey.read(Files.readAllBytes(file), file.toString())));
            } catch (NoSuchFileException e) {
                throw new BerthException("POLICY_INVALID", scope.describe() + " names key " + file + ", which does not exist");
            }
        }
        return keys;
    }

    private static List<AcceptedKey> trustedProjectKeys(Reference name, ExecutionPolicy.Scope scope, String subject)
            throws IOException {
        try {
            return StaffKeys.of(new RegistryFlags(), name);
        } catch (IOException | BerthException e) {
            throw refused(subject, scope, e.getMessage());
        }
    }

    /** The rule's key files by content, without parsing them. */
    private static String keyFiles(ExecutionPolicy.Scope scope) throws IOException {
        List<String> digests = new ArrayList<>();
        for (Path file : scope.keys()) {
            try {
                digests.add(Digest.of(Files.readAllBytes(file)).toString());
            } catch (NoSuchFileException e) {
                throw new BerthException("POLICY_INVALID", scope.describe() + " names key " + file + ", which does not exist");
            }
        }
        return String.join("\n", digests.stream().sorted().toList());
    }

    private static String fingerprints(List<AcceptedKey> keys) {
        return String.join("\n", keys.stream().map(key -> key.key().fingerprint().toString()).sorted().toList());
    }

    private static BerthException refused(String subject, ExecutionPolicy.Scope scope, String why) {
        return new BerthException("POLICY_REFUSED", "the execution policy refuses to run " + subject + ": " + scope.describe()
                + ": " + why);
    }
}
