package dev.berth.oci.layer;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.oci.MediaType;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** How a layer's tar stream is compressed, told from its first bytes rather than its media type. */
public enum Compression {
    NONE, GZIP, ZSTD;

    private static final int MAGIC_LENGTH = 4;

    /** Detects the compression of a stream that supports mark/reset, without consuming it. */
    public static Compression detect(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("detection needs a stream with mark/reset");
        }
        in.mark(MAGIC_LENGTH);
        byte[] magic = in.readNBytes(MAGIC_LENGTH);
        in.reset();
        return detect(magic);
    }

    static Compression detect(byte[] magic) {
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /** Wraps {@code raw} so that reading it yields the uncompressed tar, whatever the compression. */
    public static InputStream decompressed(InputStream raw) throws IOException {
        InputStream buffered = raw.markSupported() ? raw : new BufferedInputStream(raw, 64 * 1024);
        return switch (detect(buffered)) {
            case GZIP -> new GZIPInputStream(buffered, 64 * 1024);
            case ZSTD -> new ZstdInputStream(buffered);
            case NONE -> buffered;
        };
    }

    /** Wraps {@code out} so that what is written to it is compressed this way. */
    public OutputStream compressing(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPOutputStream(out, 64 * 1024);
            case ZSTD -> new ZstdOutputStream(out);
            case NONE -> out;
        };
    }

    /** The OCI layer media type for a tar stream compressed this way. */
    public String ociLayerMediaType() {
        return switch (this) {
            case GZIP -> MediaType.OCI_LAYER_GZIP;
            case ZSTD -> MediaType.OCI_LAYER_ZSTD;
            case NONE -> MediaType.OCI_LAYER;
        };
    }
}
