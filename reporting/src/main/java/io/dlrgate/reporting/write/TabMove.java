package io.dlrgate.reporting.write;

import io.dlrgate.config.Tab;

/**
 * {@code count} messages of one campaign ({@code campaignId} null: single sends) moved from one tab to another in
 * one committed batch. What the live report needs, without a look-up of each message.
 */
public record TabMove(Long campaignId, Tab from, Tab to, int count) {
}
