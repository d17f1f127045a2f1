package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.ssl.SslConfiguration;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS for the simulated SMSC's listener, from the two PEM files an operator has ({@code --tls-cert}, {@code
 * --tls-key}): the certificate chain, and an unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----},
 * what {@code openssl req -nodes} and {@code openssl genpkey} write). ch-smpp's server reads a key store file only,
 * so the two are put in a PKCS#12 store with a random password, in a temporary file readable by this user alone and
 * deleted at exit.
 */
public final class SmscTls {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private SmscTls() {
    }

    /** The listener's TLS; IllegalArgumentException names the file and what is wrong with it. */
    public static SslConfiguration fromPem(Path certFile, Path keyFile) {
        List<Certificate> chain = certificates(certFile);
        PrivateKey key = key(keyFile);
        try {
            char[] password = randomPassword();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("smsc", key, password, chain.toArray(Certificate[]::new));
            Path file = Files.createTempFile("dlrgate-sim-smsc-", ".p12",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            SslConfiguration ssl = new SslConfiguration();
            ssl.setKeyStorePath(file.toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(new String(password));
            ssl.setKeyManagerPassword(new String(password));
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use " + certFile + " with " + keyFile + ": " + e.getMessage(),
                    e);
        }
    }

    private static List<Certificate> certificates(Path file) {
        try (var in = Files.newInputStream(file)) {
            List<Certificate> chain = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("--tls-cert " + file + ": no PEM certificate in it");
            }
            return chain;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-cert " + file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey key(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("--tls-key " + file + ": cannot read it: " + e.getMessage(), e);
        }
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException e) {
                        // not this algorithm: try the next
                    }
                }
                throw new IllegalArgumentException("--tls-key " + file + ": not an RSA, EC or EdDSA key");
            }
            if (m.group(1).endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException("--tls-key " + file + ": a \"" + m.group(1) + "\"; give an "
                        + "unencrypted PKCS#8 key (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY8)");
            }
        }
        throw new IllegalArgumentException("--tls-key " + file + ": no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static char[] randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b).toCharArray();
    }
}
