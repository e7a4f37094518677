package dev.berth.cli.commands.trust;

import dev.berth.oci.BerthException;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The password of a private key: {@code BERTH_KEY_PASSWORD} when set (also when empty, as cosign
 * allows an unencrypted-in-effect key), else asked on the terminal, else one line of standard input.
 */
final class KeyPassword {
    static final String ENVIRONMENT = "BERTH_KEY_PASSWORD";

    private KeyPassword() {
    }

    /** The password to open an existing key with. */
    static char[] forOpening(String keyFile) throws IOException {
        String fromEnvironment = System.getenv(ENVIRONMENT);
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        Console console = System.console();
        if (console != null) {
            return orEmpty(console.readPassword("Password for %s: ", keyFile));
        }
        return readStdin();
    }

    /** A password for a new key, asked twice on a terminal so that a typing slip does not lock the key away. */
    static char[] forNewKey() throws IOException {
        String fromEnvironment = System.getenv(ENVIRONMENT);
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            return readStdin();
        }
        char[] first = orEmpty(console.readPassword("Enter password for private key: "));
        char[] again = orEmpty(console.readPassword("Enter password for private key again: "));
        if (!Arrays.equals(first, again)) {
            throw new BerthException("KEY_PASSWORD", "the two passwords differ: run berth key generate again");
        }
        return first;
    }

    private static char[] orEmpty(char[] answer) {
        return answer == null ? new char[0] : answer;
    }

    private static char[] readStdin() throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null) {
            throw new BerthException("KEY_PASSWORD", "no password: set " + ENVIRONMENT + ", run on a terminal, or pipe it in");
        }
        return line.toCharArray();
    }
}
