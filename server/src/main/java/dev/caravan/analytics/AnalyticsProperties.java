package dev.caravan.analytics;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Analytics settings ({@code caravan.analytics.*}); every value has a default.
 *
 * @param zone               time zone of "days" and "weeks" in the models and reports (purchase days, cohorts)
 * @param refitEnabled       refit the CLV models on {@code refitCron}
 * @param refitCron          when to refit (Spring cron, server time zone); default nightly at 02:30
 * @param horizonDays        horizon of expected purchases and CLV stored on profiles
 * @param discountRate       annual discount rate of CLV (0.10 = 10 % a year)
 * @param clvStepDays        discounting step of CLV in days (30 = monthly)
 * @param margin             share of revenue counted in CLV (1 = revenue CLV)
 * @param rescoreOnChange    rescore customers with the current model when their orders change
 * @param rescoreDelay       how long changed customers wait before they are rescored (batches bursts)
 * @param snapshotCron       when the daily tier/segment snapshot is taken
 * @param reportCacheTtl     how long report inputs read from the store are reused
 * @param atRiskPAlive       at-risk list: P(alive) below this
 * @param atRiskSpendQuantile at-risk list: historic spend in the top share above this quantile (0.8 = top 20 %)
 * @param forecastSeasons    candidate season lengths (weeks) for Holt-Winters, tried when the data cover two of them
 * @param defaultZones       fallback zone per country code for the best send hour, as CC=Zone/Id
 */
@ConfigurationProperties("caravan.analytics")
public record AnalyticsProperties(
        @DefaultValue("UTC") String zone,
        @DefaultValue("true") boolean refitEnabled,
        @DefaultValue("0 30 2 * * *") String refitCron,
        @DefaultValue("365") int horizonDays,
        @DefaultValue("0.10") double discountRate,
        @DefaultValue("30") int clvStepDays,
        @DefaultValue("1.0") double margin,
        @DefaultValue("true") boolean rescoreOnChange,
        @DefaultValue("10s") Duration rescoreDelay,
        @DefaultValue("0 5 0 * * *") String snapshotCron,
        @DefaultValue("5m") Duration reportCacheTtl,
        @DefaultValue("0.3") double atRiskPAlive,
        @DefaultValue("0.8") double atRiskSpendQuantile,
        @DefaultValue({"52", "13", "4"}) List<Integer> forecastSeasons,
        @DefaultValue({"GB=Europe/London", "IE=Europe/Dublin", "DE=Europe/Berlin", "FR=Europe/Paris",
                "IT=Europe/Rome", "ES=Europe/Madrid", "NL=Europe/Amsterdam", "BE=Europe/Brussels",
                "AT=Europe/Vienna", "CH=Europe/Zurich", "PL=Europe/Warsaw", "SE=Europe/Stockholm",
                "NO=Europe/Oslo", "DK=Europe/Copenhagen", "FI=Europe/Helsinki", "PT=Europe/Lisbon",
                "GR=Europe/Athens", "CZ=Europe/Prague", "US=America/New_York", "CA=America/Toronto",
                "MX=America/Mexico_City", "BR=America/Sao_Paulo", "JP=Asia/Tokyo", "CN=Asia/Shanghai",
                "HK=Asia/Hong_Kong", "SG=Asia/Singapore", "IN=Asia/Kolkata", "AE=Asia/Dubai",
                "SA=Asia/Riyadh", "IL=Asia/Jerusalem", "KR=Asia/Seoul", "AU=Australia/Sydney",
                "NZ=Pacific/Auckland", "ZA=Africa/Johannesburg"}) List<String> defaultZones) {

    public AnalyticsProperties {
        if (horizonDays < 1) throw new IllegalArgumentException("caravan.analytics.horizon-days must be at least 1");
        if (clvStepDays < 1) throw new IllegalArgumentException("caravan.analytics.clv-step-days must be at least 1");
        if (!(discountRate > -1)) throw new IllegalArgumentException("caravan.analytics.discount-rate must be above -1");
    }
}
