package io.dlrgate.gateway.send;

import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.reporting.campaign.Campaign;
import io.dlrgate.reporting.campaign.CampaignSend;
import io.dlrgate.reporting.campaign.CampaignStore;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.suppression.SuppressionStore;
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

    private final GatewayConfig config;
    private final CarrierRoutes routes;
    private final MessageStore messages;
    private final CampaignStore campaigns;
    private final SuppressionStore suppressions;
    private final Clock clock;
    private final QueueListener queueListener;
    private final LinkRewriter linkRewriter;

    public SendService(GatewayConfig config, MessageStore messages, CampaignStore campaigns,
                       SuppressionStore suppressions, Clock clock, QueueListener queueListener) {
        this(config, messages, campaigns, suppressions, clock, queueListener, null);
    }

    /** @param linkRewriter link tracking for campaigns that have it on; {@code null}: links are sent as written */
    public SendService(GatewayConfig config, MessageStore messages, CampaignStore campaigns,
                       SuppressionStore suppressions, Clock clock, QueueListener queueListener,
                       LinkRewriter linkRewriter) {
        this.linkRewriter = linkRewriter;
        this.config = config;
        this.routes = new CarrierRoutes(config.carriers());
        this.messages = messages;
        this.campaigns = campaigns;
        this.suppressions = suppressions;
        this.clock = clock;
        this.queueListener = queueListener;
    }

    /** What a single send came to: queued with an id, or skipped because the number is suppressed. */
    public record SingleSendResult(Long messageId, String recipient, String country, String carrierId,
                                   boolean suppressed, Instant validityDeadline) {
    }

    /** What a campaign send came to. Every requested contact is accounted for in exactly one count. */
    public record CampaignSendResult(CampaignSend send, int duplicates, List<String> suppressedNumbers) {
    }

    public SingleSendResult sendSingle(String to, String content, Source source, Duration validity)
            throws SQLException {
        checkContent("content", content);
        PhoneNumbers.Normalised n = normalise("to", to);
        CarrierConfig carrier = route("to", n.e164());
        Instant deadline = deadline(carrier, validity);
        if (!suppressions.suppressedAmong(List.of(n.e164())).isEmpty()) {
            return new SingleSendResult(null, n.e164(), n.country(), carrier.id(), true, deadline);
        }
        long id = messages.insert(new NewMessage(null, null, source, n.e164(), n.country(), content, carrier.id(),
                deadline));
        queueListener.queued(carrier.id());
        return new SingleSendResult(id, n.e164(), n.country(), carrier.id(), false, deadline);
    }

    /**
     * Sends a campaign's current content to a list of contacts. The whole list is checked before anything is
     * written: one bad contact gets a 400 naming it and nothing is queued.
     */
    public Optional<CampaignSendResult> sendCampaign(long campaignId, List<String> contacts, String sentBy,
                                                     Duration validity) throws SQLException {
        Optional<Campaign> found = campaigns.find(campaignId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Campaign campaign = found.get();
        checkContent("content", campaign.content());
        if (contacts.isEmpty()) {
            throw new SendRejectedException("contacts", "is empty");
        }
        // Normalise and route everything first; keep the first occurrence of each number.
        Map<String, PhoneNumbers.Normalised> unique = new LinkedHashMap<>();
        Map<String, CarrierConfig> carrierOf = new LinkedHashMap<>();
        int duplicates = 0;
        for (int i = 0; i < contacts.size(); i++) {
            String field = "contacts[" + i + "]";
            PhoneNumbers.Normalised n = normalise(field, contacts.get(i));
            if (unique.putIfAbsent(n.e164(), n) != null) {
                duplicates++;
                continue;
            }
            carrierOf.put(n.e164(), route(field, n.e164()));
        }
        Set<String> suppressed = suppressions.suppressedAmong(unique.keySet());
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
                    carrier.id(), deadline(carrier, validity)));
            touchedCarriers.add(carrier.id());
        }
        CampaignSend send = campaigns.send(campaignId, sentBy, contacts.size(), suppressed.size(), 0, toQueue);
        touchedCarriers.forEach(queueListener::queued);
        return Optional.of(new CampaignSendResult(send, duplicates, List.copyOf(suppressed)));
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
        return routes.carrierFor(e164).orElseThrow(() -> new SendRejectedException(field,
                "no carrier is configured for " + e164 + " (no matching prefix)"));
    }

    private static PhoneNumbers.Normalised normalise(String field, String raw) {
        try {
            return PhoneNumbers.normalise(raw);
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
