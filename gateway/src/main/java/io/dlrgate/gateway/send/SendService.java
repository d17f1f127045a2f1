package io.dlrgate.gateway.send;

import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.config.SenderId;
import io.dlrgate.config.Tab;
import io.dlrgate.reporting.campaign.Campaign;
import io.dlrgate.reporting.campaign.CampaignSend;
import io.dlrgate.reporting.campaign.CampaignStore;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.RefusedNumber;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.suppression.SuppressionStore;
import io.dlrgate.reporting.write.Finalization;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The front door of the send path: validates and normalises recipients, drops suppressed numbers (and says
 * so), routes each number to its carrier, computes the validity deadline and queues the messages in the store.
 * Dispatch to carriers happens later and elsewhere; a message queued here waits in the database until a carrier
 * that takes submits is bound.
 */
public final class SendService {

    /** Content longer than this is refused: it would need more than ten concatenated UCS-2 parts. */
    public static final int MAX_CONTENT_CHARS = 1600;

    /** The longest link that can be tracked: links are indexed per campaign, and an index entry holds ~2.7 kB. */
    public static final int MAX_TRACKED_URL_BYTES = 2_000;

    /** A contact longer than this is no phone number whatever it holds: refused as malformed, never stored. */
    public static final int MAX_CONTACT_CHARS = 64;

    private final GatewayConfig config;
    private final CarrierRoutes routes;
    private final PartLimit partLimit;
    private final MessageStore messages;
    private final CampaignStore campaigns;
    private final SuppressionStore suppressions;
    private final Clock clock;
    private final QueueListener queueListener;
    private final LinkRewriter linkRewriter;
    private final Consumer<List<Finalization>> finalizations;

    public SendService(GatewayConfig config, MessageStore messages, CampaignStore campaigns,
                       SuppressionStore suppressions, Clock clock, QueueListener queueListener) {
        this(config, messages, campaigns, suppressions, clock, queueListener, null, f -> { });
    }

    /**
     * @param linkRewriter  link tracking for campaigns that have it on; {@code null}: links are sent as written
     * @param finalizations told of the numbers filed at once as Hard bounces, after they are committed (the same
     *                      listeners as the group commit's, for the final-outcomes metric)
     */
    public SendService(GatewayConfig config, MessageStore messages, CampaignStore campaigns,
                       SuppressionStore suppressions, Clock clock, QueueListener queueListener,
                       LinkRewriter linkRewriter, Consumer<List<Finalization>> finalizations) {
        this.linkRewriter = linkRewriter;
        this.finalizations = finalizations;
        this.config = config;
        this.routes = new CarrierRoutes(config.carriers());
        this.partLimit = new PartLimit(config.dispatch().maxParts());
        this.messages = messages;
        this.campaigns = campaigns;
        this.suppressions = suppressions;
        this.clock = clock;
        this.queueListener = queueListener;
    }

    /**
     * What a single send came to: queued, or skipped because the number is suppressed; either way {@code messageId}
     * is its id in Single sends.
     */
    public record SingleSendResult(Long messageId, String recipient, String country, String carrierId,
                                   boolean suppressed, Instant validityDeadline, String sender) {
    }

    /**
     * What a campaign send came to. Every requested contact is accounted for in exactly one count.
     *
     * @param invalid the contacts filed at once as Hard bounces (not a mobile number, or no carrier takes it)
     * @param sender  the sender id the messages go out from
     */
    public record CampaignSendResult(CampaignSend send, List<String> suppressedNumbers, List<RefusedNumber> invalid,
                                     String sender) {
    }

    /**
     * Sends one message. Unlike a list, one number that cannot be sent to refuses the request (a 400 naming it), and
     * so does a sender its carrier does not take.
     *
     * @param from           the sender id as asked; {@code null}: {@code send.default_sender}
     * @param defaultCountry the country a national-format number is read in; {@code null}: the configured default
     */
    public SingleSendResult sendSingle(String to, String content, Source source, Duration validity,
                                       String defaultCountry, String from) throws SQLException {
        checkContent("content", content);
        SenderId sender = sender(from);
        PhoneNumbers.Normalised n = normalise("to", to, country(defaultCountry));
        CarrierConfig carrier = route("to", n.e164());
        partLimit.check("content", content, List.of(carrier));
        if (!carrier.senders().allows(sender)) {
            throw new SendRejectedException("from", "sender \"" + sender + "\" is not allowed by carrier "
                    + carrier.id() + " (which takes " + n.e164() + "); it allows " + carrier.senders().allowed());
        }
        Instant deadline = deadline(carrier, validity);
        NewMessage m = new NewMessage(null, null, source, n.e164(), n.country(), content, carrier.id(), deadline,
                sender.text());
        if (!suppressions.suppressedAmong(List.of(n.e164())).isEmpty()) {
            // Not sent, but listed in Single sends ("Suppressed"): nothing asked for disappears from the reports.
            return new SingleSendResult(messages.insertSkippedSingle(m), n.e164(), n.country(), carrier.id(), true,
                    deadline, sender.text());
        }
        long id = messages.insert(m);
        queueListener.queued(carrier.id());
        return new SingleSendResult(id, n.e164(), n.country(), carrier.id(), false, deadline, sender.text());
    }

    /**
     * The sender id a send goes out from: the one asked for, else {@code send.default_sender}.
     *
     * @throws SendRejectedException (field {@code from}) naming the sender and the rule it breaks
     */
    public SenderId sender(String from) {
        if (from == null) {
            return config.send().defaultSender();
        }
        try {
            return SenderId.parse(from);
        } catch (IllegalArgumentException e) {
            throw new SendRejectedException("from", "sender " + e.getMessage());
        }
    }

    /**
     * Sends a campaign's current content to a list of contacts. A contact that is not a mobile number, or that no
     * carrier takes, does not stop the others: it is filed at once as a Hard bounce (cause {@code invalid-number}
     * or {@code no-route}, with the reason) in the transaction that queues the rest. Only a malformed request (no
     * contacts, bad content, a bad {@code defaultCountry}, a contact no store can hold) is refused as a whole, and
     * so is a send whose sender (the campaign's, else {@code send.default_sender}) a carrier that would take some of
     * its numbers does not allow: the marketer chose one sender for the whole list, and a campaign half sent from
     * it is worse than none (the refusal lists each such carrier with how many numbers it would have taken).
     *
     * @param defaultCountry the country national-format numbers are read in; {@code null}: the configured default
     */
    public Optional<CampaignSendResult> sendCampaign(long campaignId, List<String> contacts, String sentBy,
                                                     Duration validity, String defaultCountry) throws SQLException {
        Optional<Campaign> found = campaigns.find(campaignId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Campaign campaign = found.get();
        checkContent("content", campaign.content());
        if (contacts.isEmpty()) {
            throw new SendRejectedException("contacts", "is empty");
        }
        String country = country(defaultCountry);
        // Normalise and route everything first; keep the first occurrence of each number.
        Map<String, PhoneNumbers.Normalised> unique = new LinkedHashMap<>();
        Map<String, CarrierConfig> carrierOf = new LinkedHashMap<>();
        Map<String, RefusedNumber> refused = new LinkedHashMap<>();
        int duplicates = 0;
        for (int i = 0; i < contacts.size(); i++) {
            String raw = contacts.get(i);
            checkStorable("contacts[" + i + "]", raw);
            PhoneNumbers.Normalised n;
            try {
                n = PhoneNumbers.normalise(raw, country);
            } catch (IllegalArgumentException e) {
                if (refused.putIfAbsent(raw.trim(), new RefusedNumber(raw.trim(), null, RefusedNumber.INVALID_NUMBER,
                        e.getMessage())) != null) {
                    duplicates++;
                }
                continue;
            }
            if (unique.containsKey(n.e164()) || refused.containsKey(n.e164())) {
                duplicates++;
                continue;
            }
            Optional<CarrierConfig> carrier = routes.carrierFor(n.e164());
            if (carrier.isEmpty()) {
                refused.put(n.e164(), new RefusedNumber(n.e164(), n.country(), RefusedNumber.NO_ROUTE,
                        noRoute(n.e164())));
                continue;
            }
            unique.put(n.e164(), n);
            carrierOf.put(n.e164(), carrier.get());
        }
        // Invalid and unroutable contacts are looked up too: counted toward suppression (when the settings say so),
        // a suppressed one is skipped like any suppressed number instead of filed again as a Hard bounce.
        Set<String> lookedUp = new LinkedHashSet<>(unique.keySet());
        lookedUp.addAll(refused.keySet());
        Set<String> suppressed = suppressions.suppressedAmong(lookedUp);
        refused.keySet().removeAll(suppressed);
        SenderId sender = sender(campaign.sender());
        checkSenderAllowed(sender, unique.keySet().stream().filter(n -> !suppressed.contains(n)).map(carrierOf::get)
                .toList());
        // Every carrier the campaign reaches: the content must fit max_parts on each (a 16-bit UDH holds less).
        partLimit.check("content", campaign.linkTracking() && linkRewriter != null
                ? linkRewriter.preview(campaign.content()) : campaign.content(),
                unique.keySet().stream().map(carrierOf::get).distinct().toList());
        Map<String, String> tracked = Map.of();
        if (campaign.linkTracking() && linkRewriter != null) {
            // Short links can make content longer (or shorter): check what will really be sent, and each link,
            // BEFORE the codes are stored (they are committed on their own: a refusal after them left them behind).
            checkContent("content", linkRewriter.preview(campaign.content()));
            for (String url : LinkRewriter.linksIn(campaign.content())) {
                int bytes = url.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (bytes > MAX_TRACKED_URL_BYTES) {
                    throw new SendRejectedException("content", "has a link of " + bytes + " bytes; links of at most "
                            + MAX_TRACKED_URL_BYTES + " bytes can be tracked");
                }
            }
            List<String> recipients = unique.keySet().stream().filter(n -> !suppressed.contains(n)).toList();
            tracked = linkRewriter.rewriteFor(campaignId, campaign.content(), recipients);
        }
        List<NewMessage> toQueue = new ArrayList<>(unique.size());
        Set<String> touchedCarriers = new LinkedHashSet<>();
        for (PhoneNumbers.Normalised n : unique.values()) {
            if (suppressed.contains(n.e164())) {
                continue;
            }
            CarrierConfig carrier = carrierOf.get(n.e164());
            String content = tracked.getOrDefault(n.e164(), campaign.content());
            toQueue.add(new NewMessage(campaignId, null, Source.CAMPAIGN, n.e164(), n.country(), content,
                    carrier.id(), deadline(carrier, validity), sender.text()));
            touchedCarriers.add(carrier.id());
        }
        List<RefusedNumber> invalid = List.copyOf(refused.values());
        CampaignSend send = campaigns.send(campaignId, sentBy, contacts.size(), suppressed.size(), duplicates,
                toQueue, campaign.content(), sender.text(), invalid);
        touchedCarriers.forEach(queueListener::queued);
        if (!invalid.isEmpty()) {
            // No carrier took them: the metric's carrier label says "unknown".
            finalizations.accept(invalid.stream()
                    .map(r -> new Finalization(null, Tab.HARD_BOUNCES, r.cause())).toList());
        }
        return Optional.of(new CampaignSendResult(send, List.copyOf(suppressed), invalid, sender.text()));
    }

    /** Refuses the whole send when any carrier that would take one of its numbers does not allow the sender. */
    private static void checkSenderAllowed(SenderId sender, List<CarrierConfig> routedTo) {
        Map<String, Integer> refusing = new LinkedHashMap<>();
        for (CarrierConfig c : routedTo) {
            if (!c.senders().allows(sender)) {
                refusing.merge(c.id(), 1, Integer::sum);
            }
        }
        if (!refusing.isEmpty()) {
            StringBuilder which = new StringBuilder();
            refusing.forEach((id, count) -> which.append(which.length() == 0 ? "" : ", ").append(id).append(" (")
                    .append(count).append(count == 1 ? " number)" : " numbers)"));
            throw new SendRejectedException("from", "sender \"" + sender + "\" is not allowed by carrier"
                    + (refusing.size() == 1 ? " " : "s ") + which + "; nothing was sent");
        }
    }

    /** The country national-format numbers are read in: the request's, else the configured one, else none. */
    private String country(String asked) {
        if (asked == null) {
            return config.send().defaultCountry();
        }
        String region = asked.trim().toUpperCase(java.util.Locale.ROOT);
        if (!PhoneNumbers.isCountry(region)) {
            throw new SendRejectedException("defaultCountry", "'" + asked + "' is not a two-letter country code "
                    + "with a telephone numbering plan (such as GB)");
        }
        return region;
    }

    /** A contact no store can hold (PostgreSQL text cannot hold U+0000) is a malformed request, not a bounce. */
    private static void checkStorable(String field, String raw) {
        if (raw == null) {
            throw new SendRejectedException(field, "is empty");
        }
        if (raw.length() > MAX_CONTACT_CHARS || raw.chars().anyMatch(Character::isISOControl)) {
            throw new SendRejectedException(field, "is not a phone number: it holds control characters or is "
                    + "longer than " + MAX_CONTACT_CHARS + " characters");
        }
    }

    private static String noRoute(String e164) {
        return "no carrier is configured for " + e164 + " (no matching prefix)";
    }

    private Instant deadline(CarrierConfig carrier, Duration asked) {
        Duration v = asked != null ? asked : carrier.defaultValidity();
        if (v.isNegative() || v.isZero()) {
            throw new SendRejectedException("validity", "must be a positive duration, got " + v);
        }
        Duration max = config.dispatch().maxValidity();
        if (v.compareTo(max) > 0) {
            v = max;
        }
        return clock.instant().plus(v);
    }

    private CarrierConfig route(String field, String e164) {
        return routes.carrierFor(e164).orElseThrow(() -> new SendRejectedException(field, noRoute(e164)));
    }

    private static PhoneNumbers.Normalised normalise(String field, String raw, String country) {
        try {
            return PhoneNumbers.normalise(raw, country);
        } catch (IllegalArgumentException e) {
            throw new SendRejectedException(field, e.getMessage());
        }
    }

    private static void checkContent(String field, String content) {
        if (content == null || content.isEmpty()) {
            throw new SendRejectedException(field, "is empty");
        }
        if (content.length() > MAX_CONTENT_CHARS) {
            throw new SendRejectedException(field, "is " + content.length() + " characters; at most "
                    + MAX_CONTENT_CHARS + " are accepted");
        }
    }
}
