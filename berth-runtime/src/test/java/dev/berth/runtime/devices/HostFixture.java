package dev.berth.runtime.devices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A fake host under a temporary directory: driver libraries as the NVIDIA installer lays them out
 * (a real file and its soname link), an ldconfig that lists them, /dev entries (regular files
 * stand in for device nodes), programs on a PATH, and CDI spec directories.
 */
final class HostFixture {
    final Path root;
    final Path lib;
    final Path dev;
    final Path bin;
    final Path ldconfig;
    final Path etcCdi;
    final Path runCdi;

    HostFixture(Path root) throws IOException {
        this.root = root;
        lib = Files.createDirectories(root.resolve("usr/lib"));
        dev = Files.createDirectories(root.resolve("dev"));
        bin = Files.createDirectories(root.resolve("usr/bin"));
        ldconfig = root.resolve("sbin/ldconfig");
        etcCdi = root.resolve("etc/cdi");
        runCdi = root.resolve("var/run/cdi");
        listLibraries("");
    }

    /** A library file {@code realName} with the link {@code soname} to it, as driver installers make them. */
    Path library(String realName, String soname) throws IOException {
        Path file = Files.writeString(lib.resolve(realName), "fake " + realName);
        Files.createSymbolicLink(lib.resolve(soname), Path.of(realName));
        return file;
    }

    /** Makes ldconfig -p print {@code entries} (one "name => path" per line, host ABI) as the real one does. */
    void listLibraries(String entries) throws IOException {
        String abi = LdconfigCache.hostAbi() == null ? "" : "," + LdconfigCache.hostAbi();
        StringBuilder listing = new StringBuilder(entries.lines().count() + " libs found in cache `/etc/ld.so.cache'\n");
        entries.lines().map(line -> line.split(" => "))
                .forEach(entry -> listing.append('\t').append(entry[0]).append(" (libc6").append(abi).append(") => ")
                        .append(entry[1].startsWith("/") ? entry[1] : lib.resolve(entry[1]).toString()).append('\n'));
        script(ldconfig, "cat <<'LISTING'\n" + listing + "LISTING\n");
    }

    Path device(String name) throws IOException {
        return Files.writeString(dev.resolve(name), "");
    }

    static Path script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    Path spec(Path directory, String fileName, String text) throws IOException {
        Files.createDirectories(directory);
        return Files.writeString(directory.resolve(fileName), text);
    }

    HostDevices host(Map<String, String> environment) {
        return new HostDevices(dev, ldconfig, List.of(root.resolve("nowhere"), bin), List.of(etcCdi, runCdi), environment);
    }
}
