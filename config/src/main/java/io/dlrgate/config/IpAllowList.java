package io.dlrgate.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Which remote addresses may bind: a list of IPv4/IPv6 addresses ({@code 10.1.2.3}, {@code ::1}) and CIDR
 * ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). An empty list allows every address.
 *
 * <p>Entries are parsed as literals only; no name is ever looked up in DNS. An IPv4-mapped IPv6 address
 * ({@code ::ffff:10.1.2.3}) is matched as the IPv4 address it carries. Host bits set below a CIDR prefix
 * ({@code 10.1.2.3/8}) are ignored: the entry means the network it lies in.
 */
public final class IpAllowList {

    private record Range(byte[] network, int prefixLength, String text) {
        boolean contains(byte[] addr) {
            if (addr.length != network.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (addr[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (addr[full] & mask) == (network[full] & mask);
        }
    }

    private static final IpAllowList ANY = new IpAllowList(List.of());

    private final List<Range> ranges;

    private IpAllowList(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** An allow-list that allows every address. */
    public static IpAllowList allowAll() {
        return ANY;
    }

    /**
     * Parses entries (addresses or CIDR ranges).
     *
     * @throws IllegalArgumentException naming the first bad entry and what is wrong with it
     */
    public static IpAllowList parse(Collection<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String e : entries) {
            ranges.add(parseEntry(e));
        }
        return new IpAllowList(ranges);
    }

    /**
     * Checks one entry.
     *
     * @throws IllegalArgumentException with a message fit for a user when the entry is not an address or CIDR range
     */
    public static void validateEntry(String entry) {
        parseEntry(entry);
    }

    private static Range parseEntry(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("empty entry: expected an IP address or CIDR range such as 10.0.0.0/8");
        }
        String s = entry.trim();
        int slash = s.indexOf('/');
        String addrText = slash < 0 ? s : s.substring(0, slash);
        byte[] addr = parseAddress(addrText);
        if (addr == null) {
            throw new IllegalArgumentException("not an IP address or CIDR range: \"" + s
                    + "\" (write e.g. 10.1.2.3, 10.0.0.0/8, ::1 or 2001:db8::/32; host names are not allowed)");
        }
        int max = addr.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("bad CIDR prefix length in \"" + s + "\": expected a number from 0 to " + max);
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("bad CIDR prefix length in \"" + s + "\": must be between 0 and "
                        + max + ", got " + prefix);
            }
        }
        return new Range(addr, prefix, s);
    }

    /** Parses an IPv4 dotted quad or an IPv6 literal to 4 or 16 bytes; null when it is neither. */
    static byte[] parseAddress(String s) {
        if (s.indexOf(':') >= 0) {
            byte[] v6 = parseIpv6(s);
            return v6 == null ? null : unmap(v6);
        }
        return parseIpv4(s);
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                return null; // leading zeros are read as octal by some tools; refuse the ambiguity
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseIpv6(String s) {
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || s.indexOf('%') >= 0) {
            return null; // zone ids are not supported in allow-lists
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        List<String> head;
        List<String> tail;
        if (dbl >= 0) {
            head = groups(s.substring(0, dbl));
            tail = groups(s.substring(dbl + 2));
        } else {
            head = groups(s);
            tail = List.of();
        }
        if (head == null || tail == null) {
            return null;
        }
        byte[] v4 = null;
        List<String> last = dbl >= 0 ? tail : head;
        if (!last.isEmpty() && last.get(last.size() - 1).indexOf('.') >= 0) {
            v4 = parseIpv4(last.get(last.size() - 1));
            if (v4 == null) {
                return null;
            }
            last = last.subList(0, last.size() - 1);
            if (dbl < 0) {
                head = last;
            } else {
                tail = last;
            }
        }
        int words = head.size() + tail.size() + (v4 == null ? 0 : 2);
        if (dbl < 0 ? words != 8 : words > 7) {
            return null;
        }
        byte[] out = new byte[16];
        int i = 0;
        for (String g : head) {
            int v = hexGroup(g);
            if (v < 0) {
                return null;
            }
            out[i++] = (byte) (v >> 8);
            out[i++] = (byte) v;
        }
        int tailBytes = tail.size() * 2 + (v4 == null ? 0 : 4);
        i = 16 - tailBytes;
        for (String g : tail) {
            int v = hexGroup(g);
            if (v < 0) {
                return null;
            }
            out[i++] = (byte) (v >> 8);
            out[i++] = (byte) v;
        }
        if (v4 != null) {
            System.arraycopy(v4, 0, out, 12, 4);
        }
        return out;
    }

    private static List<String> groups(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        String[] parts = s.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                return null;
            }
        }
        return Arrays.asList(parts);
    }

    private static int hexGroup(String g) {
        if (g.isEmpty() || g.length() > 4) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < g.length(); i++) {
            int d = Character.digit(g.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** An IPv4-mapped IPv6 address becomes its IPv4 address; anything else is returned as is. */
    private static byte[] unmap(byte[] a) {
        if (a.length != 16) {
            return a;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return a;
            }
        }
        if (a[10] != (byte) 0xFF || a[11] != (byte) 0xFF) {
            return a;
        }
        return Arrays.copyOfRange(a, 12, 16);
    }

    /** Whether a bind from this address is allowed. A null address is allowed only by an empty list. */
    public boolean allows(InetAddress address) {
        if (ranges.isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        if (address instanceof Inet6Address) {
            a = unmap(a);
        }
        for (Range r : ranges) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this list allows every address (it has no entries). */
    public boolean allowsAll() {
        return ranges.isEmpty();
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "IpAllowList[any]"
                : "IpAllowList" + ranges.stream().map(Range::text).toList();
    }
}
