package io.dlrgate.gateway.smpp.client;

import io.dlrgate.config.ConnectConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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
 * a fresh handler.
 */
final class ClientTls {

    private static final Logger log = LoggerFactory.getLogger(ClientTls.class);

    private final SslContext context;
    private final boolean verifyHostname;

    private ClientTls(SslContext context, boolean verifyHostname) {
        this.context = context;
        this.verifyHostname = verifyHostname;
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
        SslContextBuilder builder = SslContextBuilder.forClient();
        if (tls.trust() != null) {
            try (InputStream in = Files.newInputStream(tls.trust())) {
                builder.trustManager(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("carrier " + carrierId + ": cannot read connect.tls.trust "
                        + tls.trust() + ": " + e.getMessage(), e);
            }
        }
        try {
            return new ClientTls(builder.build(), tls.verifyHostname());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("carrier " + carrierId + ": connect.tls is unusable: " + e.getMessage(), e);
        }
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
