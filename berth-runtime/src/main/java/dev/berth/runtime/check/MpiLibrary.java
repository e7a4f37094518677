package dev.berth.runtime.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MPI library, named by its soname's major version, which is its ABI: libmpi.so.40 is Open
 * MPI's (3.x to 5.x), libmpi.so.12 the MPICH ABI that MPICH, Intel MPI and MVAPICH share, so an
 * image built against one of those runs with another's library bound in.
 *
 * @param flavour  the implementation as the library names itself, else as its soname implies
 * @param abi      the soname's major version
 * @param fileName the name it was found by
 */
record MpiLibrary(String flavour, int abi, String fileName) {
    static final int OPEN_MPI_ABI = 40;
    static final int MPICH_ABI = 12;
    private static final Pattern NAME = Pattern.compile("libmpi\\.so\\.(\\d{1,4})(?:\\..*)?");
    /** The names the libraries give themselves (in MPI_Get_library_version's text), most specific first. */
    private static final List<String[]> MARKERS = List.of(new String[] {"MVAPICH", "MVAPICH"},
            new String[] {"Intel(R) MPI Library", "Intel MPI"}, new String[] {"MPICH Version", "MPICH"},
            new String[] {"Open MPI", "Open MPI"});
    /** libmpi of Open MPI and MPICH are a few MiB; an Intel MPI with its fabrics built in stays below this. */
    private static final long MAX_SCAN_BYTES = 128L << 20;

    /** The library {@code file} found under {@code name} (libmpi.so.40 ...); empty when the name is not libmpi's. */
    static Optional<MpiLibrary> of(String name, Path file) throws IOException {
        Matcher soname = NAME.matcher(name);
        if (!soname.matches()) {
            return Optional.empty();
        }
        int abi = Integer.parseInt(soname.group(1));
        String flavour = selfName(file).orElse(abi == OPEN_MPI_ABI ? "Open MPI" : abi == MPICH_ABI ? "an MPICH-ABI MPI" : "an MPI");
        return Optional.of(new MpiLibrary(flavour, abi, name));
    }

    /** Whether an application built against {@code this} library runs with {@code other} in its place: the same soname. */
    boolean abiCompatibleWith(MpiLibrary other) {
        return abi == other.abi;
    }

    @Override
    public String toString() {
        return flavour + " (" + fileName + ")";
    }

    /** The first marker the file's bytes contain, read in blocks with an overlap so that none is cut in two. */
    private static Optional<String> selfName(Path file) throws IOException {
        int overlap = MARKERS.stream().mapToInt(marker -> marker[0].length()).max().orElse(0);
        String found = null;
        int rank = MARKERS.size();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] block = new byte[1 << 20];
            String carried = "";
            for (long read = 0; read < MAX_SCAN_BYTES; ) {
                int n = in.readNBytes(block, 0, block.length);
                if (n == 0) {
                    break;
                }
                read += n;
                String text = carried + new String(block, 0, n, StandardCharsets.ISO_8859_1);
                for (int i = 0; i < rank; i++) {
                    if (text.contains(MARKERS.get(i)[0])) {
                        found = MARKERS.get(i)[1];
                        rank = i;
                    }
                }
                carried = text.substring(Math.max(0, text.length() - overlap));
            }
        }
        return Optional.ofNullable(found);
    }
}
