package io.dlrgate.reporting.user;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes as the store keeps them: PBKDF2WithHmacSHA256 from the JDK, a random 16-byte salt per password,
 * {@link #ITERATIONS} iterations (OWASP's figure for this function), a 256-bit result, written as
 * {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}. The iteration count travels with each hash, so
 * raising it later leaves older hashes readable. Deliberately slow (a good fraction of a second): never call it on
 * an event loop.
 */
public final class PasswordHash {

    public static final int ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Checked against for an unknown user, so that the time taken does not tell which names exist. */
    private static final String DUMMY = of("not a password");

    private PasswordHash() {
    }

    /** A new random password: 128 bits, 22 characters of base64url, for a user made by a command. */
    public static String randomPassword() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A new hash of {@code password} with a salt of its own. */
    public static String of(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether {@code password} is the one {@code stored} was made of (constant-time comparison). */
    public static boolean matches(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(password, b64.decode(parts[2]), Integer.parseInt(parts[1])));
    }

    /** As much work as {@link #matches}, for a name that has no hash: the time taken does not tell it exists. */
    static void checkAgainstNothing(String password) {
        matches(password, DUMMY);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime has PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
