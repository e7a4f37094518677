package dev.berth.distribution;

import dev.berth.distribution.config.RegistrySettings;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS for one registry: a server chain is trusted when the JDK's roots or any of the
 * registry's CA bundles (the system's, a certs.d directory's, the config's) vouch for it, and a
 * client certificate is shown when the registry asks for one. Set up when a connection first
 * needs it: most loopback pulls never do.
 */
final class RegistryTls {
    private static final Pattern PEM_KEY = Pattern.compile("-----BEGIN ([A-Z ]*PRIVATE KEY)-----([^-]*)-----END \\1-----");

    private final RegistrySettings settings;
    private final AtomicBoolean askedForClientCertificate = new AtomicBoolean();
    private SSLSocketFactory factory;

    RegistryTls(RegistrySettings settings) {
        this.settings = settings;
    }

    synchronized SSLSocketFactory socketFactory() {
        if (factory == null) {
            try {
                List<X509TrustManager> trusted = new ArrayList<>(List.of(trustManager(null)));
                for (Path bundle : settings.caBundles()) {
                    trusted.add(trustManager(bundle(bundle)));
                }
                X509KeyManager client = settings.client().isPresent() ? keyManager(settings.client().get()) : null;
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(new KeyManager[] {new NoticingKeyManager(client, askedForClientCertificate)},
                        new TrustManager[] {new AnyOfTrustManagers(List.copyOf(trusted))}, null);
                factory = context.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new RegistryException("CONFIG_INVALID", "cannot set up TLS: " + e.getMessage(), e);
            }
        }
        return factory;
    }

    /**
     * What to say when a connection failed after the registry asked for a client certificate: a
     * TLS 1.3 server refuses one (or its absence) after the handshake, so the client sees only a
     * closed connection.
     */
    Optional<String> clientCertificateProblem(String registry) {
        if (!askedForClientCertificate.get()) {
            return Optional.empty();
        }
        return Optional.of(settings.client().isPresent()
                ? registry + " refused the client certificate " + settings.client().get().certificate()
                : registry + " asks for a client certificate (mutual TLS): put client.cert and client.key in "
                        + "~/.config/containers/certs.d/" + registry + "/, or name them with client_certificate and "
                        + "client_key under [registries.\"" + registry + "\"] in config.toml");
    }

    private static KeyStore bundle(Path pemBundle) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        Collection<? extends Certificate> certificates = certificates(pemBundle, "the CA bundle");
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("berth-ca-" + i++, certificate);
        }
        return store;
    }

    private static X509KeyManager keyManager(RegistrySettings.ClientCertificate client) throws GeneralSecurityException {
        Certificate[] chain = certificates(client.certificate(), "the client certificate").toArray(Certificate[]::new);
        KeyStore store = emptyStore();
        store.setKeyEntry("client", privateKey(client.key()), new char[0], chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, new char[0]);
        for (KeyManager manager : factory.getKeyManagers()) {
            if (manager instanceof X509KeyManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 key manager available");
    }

    private static Collection<? extends Certificate> certificates(Path file, String what) throws CertificateException {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
        } catch (IOException | CertificateException e) {
            throw new RegistryException("CONFIG_INVALID", "cannot use " + what + " " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new RegistryException("CONFIG_INVALID", what + " " + file + " holds no certificates");
        }
        return certificates;
    }

    /** A PEM PKCS#8 key, EC or RSA; the older per-algorithm forms are refused with the command that converts them. */
    private static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new RegistryException("CONFIG_INVALID", "cannot read the client key " + file + ": " + e.getMessage(), e);
        }
        Matcher pem = PEM_KEY.matcher(text);
        if (!pem.find()) {
            throw new RegistryException("CONFIG_INVALID", "the client key " + file + " is not a PEM private key");
        }
        if (!pem.group(1).equals("PRIVATE KEY")) {
            throw new RegistryException("CONFIG_INVALID", "the client key " + file + " is a " + pem.group(1)
                    + "; berth reads PKCS#8 (convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + ")");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(2)));
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next
            }
        }
        throw new RegistryException("CONFIG_INVALID", "the client key " + file + " is not an EC, RSA or Ed25519 key");
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    /** Accepts a server chain that any of the trust managers vouches for; the first one's complaint otherwise. */
    private record AnyOfTrustManagers(List<X509TrustManager> managers) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            managers.getFirst().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException first = null;
            for (X509TrustManager manager : managers) {
                try {
                    manager.checkServerTrusted(chain, authType);
                    return;
                } catch (CertificateException e) {
                    first = first == null ? e : first;
                }
            }
            throw first;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(manager -> Arrays.stream(manager.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }

    /** Shows the client certificate, if there is one, and notes that a server asked for one. */
    private static final class NoticingKeyManager extends X509ExtendedKeyManager {
        private final X509KeyManager client;
        private final AtomicBoolean asked;

        NoticingKeyManager(X509KeyManager client, AtomicBoolean asked) {
            this.client = client;
            this.asked = asked;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            asked.set(true);
            return client == null ? null : client.chooseClientAlias(keyTypes, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            asked.set(true);
            return client == null ? null : client.chooseClientAlias(keyTypes, issuers, null);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return client == null ? null : client.getClientAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return client == null ? null : client.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return client == null ? null : client.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
