package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The signatures an image file carries after its content (header and squashfs): a JSON list of
 * signature documents, its length as 8 bytes big-endian, then {@code BERTHSIG}. squashfs ignores
 * what follows its own end, so a signed file mounts and runs as before; the content digest covers
 * every byte before the trailer, so a signature travels with the file and is checked offline.
 */
public final class ImageFileSignatures {
    private static final byte[] MAGIC = "BERTHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final int FOOTER = Long.BYTES + MAGIC.length;
    private static final int MAX_TRAILER = 16 << 20;

    /** {@code contentLength}: the bytes the signatures cover; {@code signatures}: each as the JSON its signer wrote. */
    public record Carried(long contentLength, List<byte[]> signatures) {
    }

    private ImageFileSignatures() {
    }

    public static Carried read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, file);
        }
    }

    private static Carried read(FileChannel channel, Path file) throws IOException {
        long size = channel.size();
        if (size < FOOTER) {
            return new Carried(size, List.of());
        }
        ByteBuffer footer = ByteBuffer.allocate(FOOTER);
        channel.read(footer, size - FOOTER);
        byte[] bytes = footer.array();
        if (!Arrays.equals(bytes, Long.BYTES, FOOTER, MAGIC, 0, MAGIC.length)) {
            return new Carried(size, List.of());
        }
        long length = footer.getLong(0);
        if (length < 0 || length > MAX_TRAILER || length > size - FOOTER) {
            throw invalid(file, "its signature trailer is damaged");
        }
        ByteBuffer trailer = ByteBuffer.allocate((int) length);
        channel.read(trailer, size - FOOTER - length);
        List<byte[]> signatures = new ArrayList<>();
        try {
            JsonNode list = Json.mapper().readTree(trailer.array());
            if (list == null || !list.isArray()) {
                throw invalid(file, "its signature trailer is not a list");
            }
            for (JsonNode signature : list) {
                signatures.add(Json.mapper().writeValueAsBytes(signature));
            }
        } catch (IOException e) {
            throw invalid(file, "its signature trailer is not JSON");
        }
        return new Carried(size - FOOTER - length, List.copyOf(signatures));
    }

    /**
     * Adds a signature (a JSON document) to the file in place: the content is not rewritten, only
     * the trailer after it. A crash midway leaves the content intact and the file unsigned.
     */
    public static void add(Path file, byte[] signature) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Carried carried = read(channel, file);
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            for (byte[] existing : carried.signatures()) {
                list.add(Json.mapper().readTree(existing));
            }
            list.add(Json.mapper().readTree(signature));
            byte[] trailer = Json.mapper().writeValueAsBytes(list);
            ByteBuffer out = ByteBuffer.allocate(trailer.length + FOOTER);
            out.put(trailer).putLong(trailer.length).put(MAGIC).flip();
            channel.truncate(carried.contentLength());
            long at = carried.contentLength();
            while (out.hasRemaining()) {
                at += channel.write(out, at);
            }
            channel.force(true);
        }
    }

    /** The SHA-256 of the bytes the signatures cover. */
    public static Digest contentDigest(Path file, long contentLength) throws IOException {
        MessageDigest sha256 = DigestAlgorithm.SHA256.newMessageDigest();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = 0;
            while (at < contentLength) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), contentLength - at));
                int read = channel.read(buffer, at);
                if (read < 0) {
                    throw invalid(file, "it ended while it was read");
                }
                at += read;
                sha256.update(buffer.flip());
            }
        }
        return new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(sha256.digest()));
    }

    private static BerthException invalid(Path file, String why) {
        return new BerthException("IMAGE_FILE_INVALID", file + " is not a valid berth image file: " + why);
    }
}
