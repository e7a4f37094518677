package dev.berth.cli.commands.trust;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.oci.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.trust.SigningKey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** {@code berth key generate}: a P-256 key pair in cosign's file formats. */
public final class KeyGenerateCommand implements Subcommand {
    private String prefix = "cosign";

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Make a signing key pair in cosign's formats: PREFIX.key (encrypted) and PREFIX.pub.",
                        "The private key is ECDSA P-256, sealed with scrypt and NaCl secretbox under a password taken from "
                                + KeyPassword.ENVIRONMENT + ", else asked on the terminal, else read from standard input. "
                                + "cosign, skopeo and podman read both files.")
                .option("-o, --output-key-prefix", "PREFIX", "Where to write the files (default: cosign, giving cosign.key "
                        + "and cosign.pub).", value -> prefix = value);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        Path privateFile = Path.of(prefix + ".key");
        Path publicFile = Path.of(prefix + ".pub");
        for (Path file : new Path[] {privateFile, publicFile}) {
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new BerthException("KEY_EXISTS", file + " already exists: remove it or choose another -o PREFIX");
            }
        }
        SigningKey key = SigningKey.generate();
        char[] password = KeyPassword.forNewKey();
        writePrivate(privateFile, key.encrypted(password).getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.write(publicFile, key.publicKey().pem().getBytes(StandardCharsets.US_ASCII));
        invocation.out().println("Private key written to " + privateFile);
        invocation.out().println("Public key written to " + publicFile + " (" + key.publicKey().fingerprint() + ")");
        return 0;
    }

    /** As {@link AtomicFiles#write}, but readable by the owner alone from the moment the file exists. */
    private static void writePrivate(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(".tmp-" + target.getFileName() + "-" + AtomicFiles.uniqueSuffix());
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(content));
                channel.force(true);
            }
            AtomicFiles.moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
