package io.dlrgate.gateway.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -----BEGIN X-----} ... {@code -----END X-----} blocks of a PEM file, decoded. Text between blocks
 * (openssl's "Bag Attributes", comments) is ignored, as openssl does.
 */
final class PemBlocks {

    /** One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}, ...) and its DER bytes. */
    record Block(String label, byte[] der) {
    }

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private PemBlocks() {
    }

    /** Every block in the text; throws {@link IllegalArgumentException} when one's base64 is broken. */
    static List<Block> parse(byte[] file) {
        String text = new String(file, StandardCharsets.US_ASCII);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            try {
                blocks.add(new Block(label, Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the " + label + " block is not valid base64: " + e.getMessage());
            }
        }
        return blocks;
    }
}
