package dev.berth.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's slapd on a free loopback port with its own slapd.conf and mdb database in a folder,
 * holding dc=example,dc=org: the users alice and bob (passwords {@link #ALICE_PASSWORD},
 * {@link #BOB_PASSWORD}) under ou=people and the groupOfNames lab-staff (alice) under ou=groups.
 * With the memberof overlay (when installed) alice's entry also lists the group in memberOf. With
 * TLS it also listens for ldaps:// with a self-signed certificate for 127.0.0.1 (made by openssl),
 * which no trust store holds. The system's own slapd, if the package started one, is not used.
 */
final class Slapd implements AutoCloseable {
    static final String SUFFIX = "dc=example,dc=org";
    static final String ADMIN_DN = "cn=admin," + SUFFIX;
    static final String ADMIN_PASSWORD = "directory-admin-secret";
    static final String ALICE_PASSWORD = "alice-ldap-secret";
    static final String BOB_PASSWORD = "bob-ldap-secret";
    private static final Path SLAPD = Path.of("/usr/sbin/slapd");
    private static final Path MODULES = Path.of("/usr/lib/ldap");
    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final int tlsPort;
    private final Path log;
    private final boolean memberOf;

    private Slapd(Process process, int port, int tlsPort, Path log, boolean memberOf) {
        this.process = process;
        this.port = port;
        this.tlsPort = tlsPort;
        this.log = log;
        this.memberOf = memberOf;
    }

    static Slapd start(Path directory) throws IOException, InterruptedException {
        return start(directory, false);
    }

    static Slapd startWithTls(Path directory) throws IOException, InterruptedException {
        return start(directory, true);
    }

    private static Slapd start(Path directory, boolean tls) throws IOException, InterruptedException {
        if (!Files.isExecutable(SLAPD)) {
            throw new IOException(SLAPD + " is not installed: scripts/test installs Debian's slapd and ldap-utils");
        }
        boolean memberOf = Files.exists(MODULES.resolve("memberof.la"));
        Path database = Files.createDirectories(directory.resolve("db"));
        Path config = directory.resolve("slapd.conf");
        String tlsConfig = tls ? selfSignedCertificate(directory) : "";
        Files.writeString(config, config(directory, database, memberOf) + tlsConfig);
        Path log = directory.resolve("slapd.log");
        int port = freePort();
        int tlsPort = tls ? freePort() : 0;
        String listen = "ldap://127.0.0.1:" + port + "/" + (tls ? " ldaps://127.0.0.1:" + tlsPort + "/" : "");
        Process process = new ProcessBuilder(SLAPD.toString(), "-d", "0", "-h", listen, "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        Slapd slapd = new Slapd(process, port, tlsPort, log, memberOf);
        try {
            slapd.awaitListening();
            slapd.load(directory);
            return slapd;
        } catch (IOException | RuntimeException e) {
            slapd.close();
            throw e;
        }
    }

    private static String config(Path directory, Path database, boolean memberOf) {
        return String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "pidfile " + directory.resolve("slapd.pid"),
                "argsfile " + directory.resolve("slapd.args"),
                "modulepath " + MODULES,
                "moduleload back_mdb",
                memberOf ? "moduleload memberof" : "",
                // As Active Directory does by default: a DN with an empty password binds anonymously
                // and "succeeds", which is what berth's refusal of empty passwords guards against.
                "allow bind_anon_dn",
                "database mdb",
                "suffix \"" + SUFFIX + "\"",
                "rootdn \"" + ADMIN_DN + "\"",
                "rootpw " + ADMIN_PASSWORD,
                "directory " + database,
                "maxsize 16777216",
                memberOf ? "overlay memberof" : "",
                "access to attrs=userPassword by self write by anonymous auth by * none",
                "access to * by users read by * none",
                "");
    }

    /** Makes the key and certificate; returns the slapd.conf lines that use them. */
    private static String selfSignedCertificate(Path directory) throws IOException, InterruptedException {
        Path key = directory.resolve("key.pem");
        Path certificate = directory.resolve("certificate.pem");
        Tools.Result made = Tools.run(directory, Duration.ofSeconds(30), List.of("openssl", "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", certificate.toString()));
        if (made.exitCode() != 0) {
            throw new IOException("openssl could not make a certificate: " + made.output());
        }
        return "TLSCertificateFile " + certificate + "\nTLSCertificateKeyFile " + key + "\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("slapd did not listen on port " + port + " within " + READY_WITHIN + ":\n" + log());
    }

    private void load(Path directory) throws IOException, InterruptedException {
        Path ldif = directory.resolve("directory.ldif");
        Files.writeString(ldif, directoryLdif(), StandardCharsets.UTF_8);
        Tools.Result added = Tools.run(directory, Duration.ofSeconds(30), List.of("ldapadd", "-x", "-H", url(),
                "-D", ADMIN_DN, "-w", ADMIN_PASSWORD, "-f", ldif.toString()));
        if (added.exitCode() != 0) {
            throw new IOException("ldapadd failed: " + added.output() + "\n" + log());
        }
    }

    private static String directoryLdif() {
        return """
                dn: %1$s
                objectClass: dcObject
                objectClass: organization
                o: Example
                dc: example

                dn: ou=people,%1$s
                objectClass: organizationalUnit
                ou: people

                dn: ou=groups,%1$s
                objectClass: organizationalUnit
                ou: groups

                dn: uid=alice,ou=people,%1$s
                objectClass: inetOrgPerson
                uid: alice
                cn: Alice Example
                sn: Example
                userPassword: %2$s

                dn: uid=bob,ou=people,%1$s
                objectClass: inetOrgPerson
                uid: bob
                cn: Bob Example
                sn: Example
                userPassword: %3$s

                dn: cn=lab-staff,ou=groups,%1$s
                objectClass: groupOfNames
                cn: lab-staff
                member: uid=alice,ou=people,%1$s
                """.formatted(SUFFIX, ALICE_PASSWORD, BOB_PASSWORD);
    }

    /** {@code ldap://127.0.0.1:PORT}. */
    String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /** {@code ldaps://127.0.0.1:PORT}, when started with TLS. */
    String ldapsUrl() {
        return "ldaps://127.0.0.1:" + tlsPort;
    }

    /** Whether entries list their groups in memberOf (the overlay is installed). */
    boolean hasMemberOf() {
        return memberOf;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** Stops slapd (SIGTERM, then SIGKILL); the port is then closed. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
