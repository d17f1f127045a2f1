package io.dlrgate.gateway.tls;

import io.dlrgate.config.TlsFiles;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made at run time, so that no key material is ever committed: a test CA, server certificates it
 * signs for 127.0.0.1 and localhost (valid, expired), one from a CA nobody trusts, each written as PEM files
 * into a directory of the test's; and client contexts that trust the test CA, for the carrier's side.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.in(tempDir);
 * TestCertificates.Issued server = certs.server("gateway");        // server.files() -> smpp.tls / http.tls
 * SslContext carrierSide = certs.clientTrustingCa();               // verifies chain and host name
 * }</pre>
 *
 * EC P-256 keys: quick to generate (RSA 2048 takes ~100 ms each on a loaded machine). Serial numbers are unique
 * within a run, so a test can tell which certificate a peer presented.
 */
public final class TestCertificates {

    /** A certificate and its key, and the PEM files they are written to. */
    public record Issued(X509Certificate certificate, PrivateKey key, TlsFiles files) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** A Netty server context presenting this certificate: the far end of an outbound TLS bind, say. */
        public SslContext serverContext() {
            try {
                return SslContextBuilder.forServer(key, certificate).sslProvider(SslProvider.JDK).build();
            } catch (SSLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Copies this pair over {@code target}'s files (key first, as a renewal might). */
        public void copyTo(TlsFiles target) {
            try {
                Files.copy(files.key(), target.key(), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(files.cert(), target.cert(), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private static final Duration DAY = Duration.ofDays(1);

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;

    private TestCertificates(Path dir, String caName) throws GeneralSecurityException, IOException {
        this.dir = dir;
        this.caKeys = keyPair();
        Instant now = Instant.now();
        this.ca = sign(new X500Name("CN=" + caName), caKeys, new X500Name("CN=" + caName), caKeys.getPrivate(),
                now.minus(DAY), now.plus(DAY.multipliedBy(30)), true);
        this.caFile = write(dir.resolve(caName + "-ca.pem"), pem(ca));
    }

    /** A new test CA whose files go to {@code dir}. */
    public static TestCertificates in(Path dir) {
        return in(dir, "dlrgate-test-ca");
    }

    /** A new CA with this name (another name gives another CA: certificates from it are not trusted by the first). */
    public static TestCertificates in(Path dir, String caName) {
        try {
            return new TestCertificates(dir, caName);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make the test CA", e);
        }
    }

    /** The CA certificate as a PEM file (a trust file). */
    public Path caFile() {
        return caFile;
    }

    public X509Certificate ca() {
        return ca;
    }

    /** A server certificate for 127.0.0.1 and localhost, valid from a day ago for 30 days. */
    public Issued server(String name) {
        Instant now = Instant.now();
        return issue(name, now.minus(DAY), now.plus(DAY.multipliedBy(30)));
    }

    /** A server certificate for 127.0.0.1 and localhost that expired yesterday. */
    public Issued expiredServer(String name) {
        Instant now = Instant.now();
        return issue(name, now.minus(DAY.multipliedBy(30)), now.minus(DAY));
    }

    /** A server certificate with the given validity, signed by this CA. */
    public Issued issue(String name, Instant notBefore, Instant notAfter) {
        try {
            KeyPair keys = keyPair();
            X509Certificate cert = sign(new X500Name("CN=" + name), keys, new X500Name(ca.getSubjectX500Principal()
                    .getName()), caKeys.getPrivate(), notBefore, notAfter, false);
            Path certFile = write(dir.resolve(name + "-cert.pem"), pem(cert));
            Path keyFile = write(dir.resolve(name + "-key.pem"), pkcs8(keys.getPrivate()));
            return new Issued(cert, keys.getPrivate(), new TlsFiles(certFile, keyFile));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    /** A client context (the carrier's or a browser's side) that trusts only this CA. */
    public SslContext clientTrustingCa() {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(ca).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client trusting the CA and presenting {@code mine} when asked (mutual TLS). */
    public SslContext clientPresenting(Issued mine) {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(ca)
                    .keyManager(mine.key(), mine.certificate()).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same trust for JDK clients ({@code java.net.http.HttpClient}, {@code SSLSocket}). */
    public javax.net.ssl.SSLContext jdkClientTrustingCa() {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                        Instant notBefore, Instant notAfter, boolean isCa)
            throws GeneralSecurityException, IOException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(
                SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}): BouncyCastle's writer would write EC keys in SEC1 form. */
    private static String pkcs8(PrivateKey key) throws IOException {
        return pem(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text);
    }
}
