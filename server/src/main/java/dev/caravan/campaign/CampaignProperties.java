package dev.caravan.campaign;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of broadcast campaigns ({@code caravan.campaigns.*}).
 *
 * @param dispatchInterval  how often due sends are handed to messaging and A/B windows checked
 * @param dispatchBatch     sends handled per campaign per round (before throttling)
 * @param defaultZone       time zone of customers whose profile and country give none (local-time schedules)
 * @param defaultZones      country zones for customers without a profile time zone, {@code CC=Zone/Id}
 * @param dryRunExactLimit  audiences up to this size are checked customer by customer in a dry run; larger ones
 *                          from an even sample of this size, scaled up
 * @param reportZone        zone of the days in dry runs
 */
@ConfigurationProperties("caravan.campaigns")
public record CampaignProperties(
        @DefaultValue("5s") Duration dispatchInterval,
        @DefaultValue("500") int dispatchBatch,
        @DefaultValue("UTC") String defaultZone,
        @DefaultValue({"CN=Asia/Shanghai", "HK=Asia/Hong_Kong", "TW=Asia/Taipei", "JP=Asia/Tokyo", "KR=Asia/Seoul",
                "SG=Asia/Singapore", "AU=Australia/Sydney", "IN=Asia/Kolkata", "AE=Asia/Dubai", "RU=Europe/Moscow",
                "TR=Europe/Istanbul", "GB=Europe/London", "IE=Europe/Dublin", "PT=Europe/Lisbon", "DE=Europe/Berlin",
                "FR=Europe/Paris", "ES=Europe/Madrid", "IT=Europe/Rome", "NL=Europe/Amsterdam", "BE=Europe/Brussels",
                "AT=Europe/Vienna", "CH=Europe/Zurich", "PL=Europe/Warsaw", "SE=Europe/Stockholm", "NO=Europe/Oslo",
                "DK=Europe/Copenhagen", "FI=Europe/Helsinki", "BR=America/Sao_Paulo", "MX=America/Mexico_City",
                "CA=America/Toronto", "US=America/New_York"}) List<String> defaultZones,
        @DefaultValue("5000") int dryRunExactLimit,
        @DefaultValue("UTC") String reportZone) {
}
