package dev.berth.distribution;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The JDK's default TLS, set up only when a TLS connection is first made. An HttpClient sets up
 * TLS when it is built, which in a fresh JVM costs most of a second (measured: 0.75 s of a 4.5 s
 * loopback pull on a busy machine); a client for a plain-HTTP registry on this machine mostly
 * never needs it, but must still be able to follow a redirect or a token realm to HTTPS.
 */
final class LazyTls {
    private LazyTls() {
    }

    /** An SSLContext that becomes the JDK default on first use. */
    static SSLContext context() {
        return new SSLContext(new DeferredSpi(), null, "Default") {
        };
    }

    /** Parameters handed to the HttpClient so that building it does not ask the context for defaults. */
    static SSLParameters parameters() {
        return new SSLParameters();
    }

    private static final class DeferredSpi extends SSLContextSpi {
        private volatile SSLContext delegate;

        private SSLContext delegate() {
            SSLContext context = delegate;
            if (context == null) {
                try {
                    context = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("this JDK has no default TLS", e);
                }
                delegate = context;
            }
            return context;
        }

        @Override
        protected void engineInit(javax.net.ssl.KeyManager[] keys, javax.net.ssl.TrustManager[] trust, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is initialised already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate().getSupportedSSLParameters();
        }
    }
}
