package dev.berth.runtime.flatten;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes crafted layer tars (gzip-compressed, as registries serve them) for tests. */
final class TarLayer implements AutoCloseable {
    private final Path file;
    private final TarArchiveOutputStream tar;

    TarLayer(Path file) throws IOException {
        this.file = file;
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
        this.tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    Path file() {
        return file;
    }

    TarLayer dir(String name, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
        entry.setMode(mode);
        return put(entry, null);
    }

    TarLayer file(String name, int mode, String content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        entry.setMode(mode);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        entry.setSize(bytes.length);
        return put(entry, bytes);
    }

    TarLayer symlink(String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        entry.setLinkName(target);
        entry.setMode(0777);
        return put(entry, null);
    }

    TarLayer hardLink(String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        entry.setLinkName(target);
        entry.setMode(0644);
        return put(entry, null);
    }

    TarLayer charDevice(String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
        entry.setMode(0666);
        entry.setDevMajor(1);
        entry.setDevMinor(3);
        return put(entry, null);
    }

    private TarLayer put(TarArchiveEntry entry, byte[] content) throws IOException {
        tar.putArchiveEntry(entry);
        if (content != null) {
            tar.write(content);
        }
        tar.closeArchiveEntry();
        return this;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
