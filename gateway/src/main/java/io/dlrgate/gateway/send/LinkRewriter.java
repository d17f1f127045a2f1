package io.dlrgate.gateway.send;

import io.dlrgate.reporting.links.LinkStore;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Link tracking for campaigns: every {@code http://} or {@code https://} link in the content is replaced, per
 * recipient, by a short link {@code BASE/l/{code}} with a code of its own. The rewritten content is what is stored
 * and submitted, so the encoder (GSM 7-bit or UCS-2, one segment or a payload) sees the short link's length.
 */
public final class LinkRewriter {

    /** A link runs from the scheme to the first space, quote or angle bracket. */
    private static final Pattern URL = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"']+");
    /** Punctuation that ends a sentence rather than the link: "see https://x.example/a." */
    /** The code of a short link: {@link LinkStore#CODE_LENGTH} base64url characters after {@code /l/}. */
    private static final Pattern SHORT_LINK_CODE =
            Pattern.compile("/l/[A-Za-z0-9_-]{" + LinkStore.CODE_LENGTH + "}(?![A-Za-z0-9_-])");
    private static final String TRAILING = ".,;:!?)]}";

    private final LinkStore links;
    private final String baseUrl;

    public LinkRewriter(LinkStore links, String publicBaseUrl) {
        this.links = links;
        this.baseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    /** The distinct links in {@code content}, in order of appearance. */
    public static Set<String> linksIn(String content) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = URL.matcher(content);
        while (m.find()) {
            out.add(trim(m.group()));
        }
        return out;
    }

    private static String trim(String url) {
        int end = url.length();
        while (end > 0 && TRAILING.indexOf(url.charAt(end - 1)) >= 0) {
            char c = url.charAt(end - 1);
            // keep a closing parenthesis that belongs to the link: https://en.wikipedia.org/wiki/Foo_(bar)
            if (c == ')' && url.substring(0, end - 1).indexOf('(') >= 0) {
                break;
            }
            end--;
        }
        return url.substring(0, end);
    }

    public String shortLink(String code) {
        return baseUrl + "/l/" + code;
    }

    /**
     * Codes for every recipient and link, stored before the messages are queued. Returns recipient -> content
     * with its links replaced; empty when the content has no link.
     */
    public Map<String, String> rewriteFor(long campaignId, String content, Collection<String> recipients)
            throws SQLException {
        Set<String> urls = linksIn(content);
        if (urls.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, String>> codes = links.codesFor(campaignId, urls, recipients);
        Map<String, String> out = new java.util.HashMap<>();
        for (String r : recipients) {
            out.put(r, rewrite(content, codes.get(r)));
        }
        return out;
    }

    /**
     * {@code content} as it will be sent once its links are replaced, with a placeholder code: every code has the
     * same length, so this is the real length, known before anything is stored.
     */
    public String preview(String content) {
        Map<String, String> placeholder = new java.util.HashMap<>();
        for (String url : linksIn(content)) {
            placeholder.put(url, "x".repeat(LinkStore.CODE_LENGTH));
        }
        return placeholder.isEmpty() ? content : rewrite(content, placeholder);
    }

    /**
     * Sent {@code content} with every short-link code replaced by the {@link #preview} placeholder: a recipient's
     * code shown in a report would let a reader's click count as theirs.
     */
    public static String withoutCodes(String content) {
        return SHORT_LINK_CODE.matcher(content).replaceAll("/l/" + "x".repeat(LinkStore.CODE_LENGTH));
    }

    /** {@code content} with each link replaced by the short link of its code ({@code url -> code}). */
    String rewrite(String content, Map<String, String> codeByUrl) {
        Matcher m = URL.matcher(content);
        StringBuilder sb = new StringBuilder(content.length());
        int last = 0;
        while (m.find()) {
            String url = trim(m.group());
            sb.append(content, last, m.start()).append(shortLink(codeByUrl.get(url)));
            last = m.start() + url.length();
        }
        sb.append(content, last, content.length());
        return sb.toString();
    }
}
