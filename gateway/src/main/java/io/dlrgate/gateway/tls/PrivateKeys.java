package io.dlrgate.gateway.tls;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/**
 * A private key from its PEM block, with the JDK alone: PKCS#8 ({@code PRIVATE KEY}: RSA, EC, Ed25519/Ed448) and
 * PKCS#1 ({@code RSA PRIVATE KEY}, what older openssl writes). Encrypted keys and SEC1 EC keys get a message
 * saying how to convert them, instead of a parser error.
 */
final class PrivateKeys {

    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
    /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8.pem";

    private PrivateKeys() {
    }

    /** The key in the block; {@link IllegalArgumentException} with what is wrong and how to fix it. */
    static PrivateKey of(PemBlocks.Block block) {
        return switch (block.label()) {
            case "PRIVATE KEY" -> pkcs8(block.der());
            case "RSA PRIVATE KEY" -> pkcs8(pkcs1ToPkcs8(block.der()));
            case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                    "the private key is encrypted; the gateway needs it unencrypted (keep the file readable by the "
                            + "gateway's user only): " + CONVERT);
            case "EC PRIVATE KEY" -> throw new IllegalArgumentException("the EC private key is in SEC1 form; "
                    + CONVERT);
            default -> throw new IllegalArgumentException("a " + block.label() + " block is not a private key");
        };
    }

    /** True for the labels {@link #of} knows, even those it refuses with advice. */
    static boolean isKeyLabel(String label) {
        return label.endsWith("PRIVATE KEY");
    }

    private static PrivateKey pkcs8(byte[] der) {
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("the private key is not an RSA, EC or EdDSA key the JDK can read");
    }

    /** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo: version 0, rsaEncryption, the key as an octet string. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // INTEGER 0
        body.writeBytes(RSA_ALGORITHM_ID);
        body.writeBytes(tlv(0x04, pkcs1)); // OCTET STRING
        return tlv(0x30, body.toByteArray()); // SEQUENCE
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
