package dev.berth.distribution;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/** TLS that trusts a site's own CA bundle (PEM) on top of the JDK's trusted roots. */
final class TrustedCertificates {
    private TrustedCertificates() {
    }

    static SSLContext withBundle(Path pemBundle) {
        try {
            KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
            extra.load(null, null);
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(pemBundle)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new RegistryException("CONFIG_INVALID", "the CA bundle " + pemBundle + " holds no certificates");
            }
            int i = 0;
            for (Certificate certificate : certificates) {
                extra.setCertificateEntry("berth-ca-" + i++, certificate);
            }
            X509TrustManager system = trustManager(null);
            X509TrustManager site = trustManager(extra);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new EitherTrustManager(system, site)}, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new RegistryException("CONFIG_INVALID", "cannot use the CA bundle " + pemBundle + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (javax.net.ssl.TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    /** Accepts a server chain that either the system roots or the site bundle vouch for. */
    private record EitherTrustManager(X509TrustManager system, X509TrustManager site) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            system.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                site.checkServerTrusted(chain, authType);
            } catch (CertificateException notTheSite) {
                system.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = system.getAcceptedIssuers();
            X509Certificate[] b = site.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
