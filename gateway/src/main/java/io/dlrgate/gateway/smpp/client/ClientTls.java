package io.dlrgate.gateway.smpp.client;

import io.dlrgate.config.ConnectConfig;
import io.dlrgate.gateway.tls.CertificateFileException;
import io.dlrgate.gateway.tls.Reloadable;
import io.dlrgate.gateway.tls.ReloadingCertificate;
import io.dlrgate.gateway.tls.ReloadingTrust;
import io.dlrgate.gateway.tls.ServerCertificate;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for outbound binds: the one place that turns {@code connect.tls} into Netty's {@link SslHandler}, put first in
 * the connection's pipeline. Trust: the PEM file {@code tls.trust} when given, else the JDK's default trust store.
 * The SMSC's certificate must name the configured host unless {@code verify_hostname: false} (endpoint
 * identification "HTTPS", as browsers check a server). The host is also sent as SNI.
 *
 * <p>Built once per carrier at start (a bad PEM file fails the start with a clear message); each connection gets
 * a fresh handler from the context current at that moment. The trust file is read again when it changes or on
 * SIGHUP ({@link #files()}), so connections made after that trust the new certificates. With {@code tls.cert}
 * and {@code tls.key} the gateway presents that certificate when the SMSC asks for one (mutual TLS); those files
 * are reloaded the same way.
 */
final class ClientTls {

    private static final Logger log = LoggerFactory.getLogger(ClientTls.class);

    private final String carrierId;
    private final boolean verifyHostname;
    private final List<Reloadable> files = new ArrayList<>();
    // What the context is built from; each replaced (and the context rebuilt) when its file changes.
    private volatile List<X509Certificate> trusted;
    private volatile ServerCertificate certificate;
    private volatile SslContext context;

    private ClientTls(String carrierId, ConnectConfig.Tls tls) {
        this.carrierId = carrierId;
        this.verifyHostname = tls.verifyHostname();
        try {
            if (tls.certificate() != null) {
                ReloadingCertificate c = ReloadingCertificate.load("carrier " + carrierId + ": connect.tls",
                        tls.certificate());
                certificate = c.current();
                c.onChange(next -> {
                    context = build(trusted, next);
                    certificate = next;
                });
                files.add(c);
            }
            if (tls.trust() != null) {
                files.add(ReloadingTrust.load("carrier " + carrierId + ": connect.tls.trust", tls.trust(), next -> {
                    context = build(next, certificate);
                    trusted = next;
                }));
            } else {
                context = build(null, certificate);
            }
        } catch (CertificateFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The carrier's TLS, or null when its connect block has none. */
    static ClientTls of(String carrierId, ConnectConfig.Tls tls) {
        if (tls == null) {
            return null;
        }
        if (!tls.verifyHostname()) {
            // Once per carrier, at start: a choice the operator made, but one that should not pass unnoticed.
            log.warn("carrier {}: connect.tls.verify_hostname is false: the SMSC's certificate is not checked "
                    + "against the host name, so anyone holding a certificate that the trust accepts can pose as "
                    + "this SMSC", carrierId);
        }
        return new ClientTls(carrierId, tls);
    }

    /**
     * @param trusted     the certificates to trust, or null for the JDK's default trust store
     * @param certificate what to present when the SMSC asks for a client certificate, or null for nothing
     */
    private SslContext build(List<X509Certificate> trusted, ServerCertificate certificate) {
        SslContextBuilder builder = SslContextBuilder.forClient();
        if (trusted != null) {
            builder.trustManager(trusted);
        }
        if (certificate != null) {
            builder.keyManager(certificate.keyManagerFactory());
        }
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("carrier " + carrierId + ": connect.tls is unusable: " + e.getMessage(),
                    e);
        }
    }

    /** The files to read again when they change (trust, client certificate), for the certificate reloader. */
    List<Reloadable> files() {
        return files;
    }

    /** A handler for one connection to {@code host:port}: to be first in its pipeline. */
    SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        if (verifyHostname) {
            SSLEngine engine = handler.engine();
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
        }
        return handler;
    }
}
