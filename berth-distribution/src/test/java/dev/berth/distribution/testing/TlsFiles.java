package dev.berth.distribution.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;

/**
 * A key pair and self-signed certificate for 127.0.0.1 (and for {@link #PROXIED_NAME}, a name only
 * a test proxy resolves), made with the JDK's keytool, as PEM files a Go server reads.
 */
public record TlsFiles(Path certificate, Path key) {
    public static final String PROXIED_NAME = "registry.test";

    public static TlsFiles forLoopback(Path dir) throws Exception {
        return selfSigned(dir, "server", "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:" + PROXIED_NAME);
    }

    /** A client's certificate, which a server that lists it among its client CAs accepts. */
    public static TlsFiles forClient(Path dir) throws Exception {
        return selfSigned(dir, "client", "CN=berth-test-client", "EKU=clientAuth");
    }

    private static TlsFiles selfSigned(Path dir, String name, String distinguishedName, String extension) throws Exception {
        Files.createDirectories(dir);
        Path keystore = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Programs.check(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", distinguishedName, "-ext", extension, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(name, "changeit".toCharArray());
        Certificate certificate = store.getCertificate(name);
        Path certificateFile = dir.resolve(name + ".pem");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new TlsFiles(certificateFile, keyFile);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
